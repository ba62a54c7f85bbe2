import type { ErrorClass } from "@checkout/core";

export type OrderStatus = "PENDING" | "PAID" | "DECLINED" | "FAILED" | "PAYMENT_UNKNOWN";
export type PaymentStatus = "pending" | "authorised" | "declined" | "failed" | "unknown";

/** An order as stored (the payment token never is). */
export interface Order {
  readonly id: string;
  readonly idempotencyKey: string;
  readonly requestHash: string;
  readonly customerId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly status: OrderStatus;
  readonly paymentKey: string;
  readonly paymentStatus: PaymentStatus;
  readonly paymentErrorClass: ErrorClass | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The order status a settled payment gives. */
export const ORDER_STATUS_OF: Readonly<Record<Exclude<PaymentStatus, "pending">, OrderStatus>> = Object.freeze({
  authorised: "PAID",
  declined: "DECLINED",
  failed: "FAILED",
  unknown: "PAYMENT_UNKNOWN",
});

/** The body of every order answer (`OrderResponse` in openapi.json). */
export function orderResponse(order: Order): Record<string, unknown> {
  return {
    order_id: order.id,
    status: order.status,
    amount_minor: order.amountMinor,
    currency: order.currency,
    customer_id: order.customerId,
    payment: {
      idempotency_key: order.paymentKey,
      status: order.paymentStatus,
      ...(order.paymentErrorClass === null ? {} : { error_class: order.paymentErrorClass }),
    },
  };
}
