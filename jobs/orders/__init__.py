"""Orders, order status and refunds (Woo → Brightpearl, status both ways).

handlers (entry points) → orders (sales order, customer, payment) → status (both ways) →
refunds (credits, refund payments, restock) → mapping, refund_mapping, status_mapping (pure) →
customers, payments (steps done once) → reconcile (the Woo orders poll).
"""
