"""The Lambda handler's parts; the entry point is `checkout_payments.payment_handler.handler`."""
