"""The error taxonomy of config/SEMANTICS.md §6: generated from config/taxonomy.json (`tools/codegen`)."""

from checkout_payments.generated.taxonomy import TAXONOMY, ClassTraits, ErrorClass, Outcome

__all__ = ["TAXONOMY", "ClassTraits", "ErrorClass", "Outcome"]
