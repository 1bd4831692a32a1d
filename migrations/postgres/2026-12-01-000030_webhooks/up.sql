-- Refused webhooks per source address: audited at most once a minute, with the count since.
CREATE TABLE webhook_rejections (
    source TEXT PRIMARY KEY,
    pending INTEGER NOT NULL,
    last_reason TEXT NOT NULL,
    audited_at TIMESTAMP
);
