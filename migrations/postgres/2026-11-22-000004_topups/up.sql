-- Crypto top-ups started in the portal and settled by the provider's webhook.
CREATE TABLE topups (
    id BIGSERIAL PRIMARY KEY,
    order_id TEXT NOT NULL UNIQUE,
    customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    provider_uuid TEXT,
    payment_url TEXT,
    status TEXT NOT NULL,
    paid_amount TEXT,
    payer_currency TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX topups_customer ON topups(customer_id, id);
