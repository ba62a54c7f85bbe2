"""The checkout's payment path in Python: config bindings and loader (`checkout_payments.config`)."""
