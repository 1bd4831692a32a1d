-- Traffic (CDRs with hourly rollups, active calls, recordings), rateplans, numberlists,
-- billing records (invoices, payments, transactions, services), numbers and campaigns.
-- CDR times are epoch milliseconds (UTC) for compact, fast range scans on big tables.
CREATE TABLE cdrs (
    id INTEGER PRIMARY KEY,
    external_id TEXT NOT NULL UNIQUE,
    customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    direction SMALLINT NOT NULL CHECK (direction IN (0, 1)),
    time_start BIGINT NOT NULL,
    time_connect BIGINT,
    time_end BIGINT,
    duration INTEGER NOT NULL,
    billed_duration INTEGER NOT NULL,
    success BOOLEAN NOT NULL,
    src_number TEXT NOT NULL,
    dst_number TEXT NOT NULL,
    destination_prefix TEXT NOT NULL,
    destination_name TEXT NOT NULL,
    rate BIGINT NOT NULL,
    price BIGINT NOT NULL,
    disconnect_code INTEGER,
    disconnect_reason TEXT NOT NULL,
    recording TEXT,
    recording_size BIGINT
);
-- The list: one customer, one direction, a time range, newest first (keyset on time, id).
CREATE INDEX cdrs_list ON cdrs(customer_id, direction, time_start, id);

CREATE TABLE cdr_hourly (
    customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    direction SMALLINT NOT NULL,
    hour BIGINT NOT NULL,
    total_calls BIGINT NOT NULL,
    successful_calls BIGINT NOT NULL,
    total_duration BIGINT NOT NULL,
    success_duration BIGINT NOT NULL,
    billed_duration BIGINT NOT NULL,
    total_price BIGINT NOT NULL,
    PRIMARY KEY (customer_id, direction, hour, account_id)
);

CREATE TABLE active_calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    external_id TEXT NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    direction SMALLINT NOT NULL,
    time_start BIGINT NOT NULL,
    time_connect BIGINT,
    src_number TEXT NOT NULL,
    dst_number TEXT NOT NULL,
    destination_name TEXT NOT NULL,
    rate BIGINT NOT NULL
);
CREATE INDEX active_calls_customer ON active_calls(customer_id, time_start, id);

CREATE TABLE rateplans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    currency TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE rates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rateplan_id BIGINT NOT NULL REFERENCES rateplans(id) ON DELETE CASCADE,
    prefix TEXT NOT NULL,
    destination_name TEXT NOT NULL,
    rate BIGINT NOT NULL,
    connect_fee BIGINT NOT NULL,
    billing_increment INTEGER NOT NULL,
    UNIQUE (rateplan_id, prefix)
);

CREATE TABLE customer_rateplans (
    customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    rateplan_id BIGINT NOT NULL REFERENCES rateplans(id) ON DELETE CASCADE,
    PRIMARY KEY (customer_id, rateplan_id)
);

CREATE TABLE numberlists (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE numberlist_customers (
    numberlist_id BIGINT NOT NULL REFERENCES numberlists(id) ON DELETE CASCADE,
    customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    PRIMARY KEY (numberlist_id, customer_id)
);
CREATE INDEX numberlist_customers_customer ON numberlist_customers(customer_id);

CREATE TABLE numberlist_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    numberlist_id BIGINT NOT NULL REFERENCES numberlists(id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (numberlist_id, number)
);

CREATE TABLE invoices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    external_id TEXT UNIQUE,
    customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    issued_on DATE NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    due_on DATE NOT NULL,
    currency TEXT NOT NULL,
    amount BIGINT NOT NULL,
    tax BIGINT NOT NULL,
    total BIGINT NOT NULL,
    status TEXT NOT NULL,
    lines TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX invoices_customer ON invoices(customer_id, id);

CREATE TABLE invoice_pdfs (
    invoice_id BIGINT PRIMARY KEY NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    content BLOB NOT NULL,
    uploaded_at TIMESTAMP NOT NULL
);

CREATE TABLE payments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    external_id TEXT UNIQUE,
    customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    method TEXT NOT NULL,
    reference TEXT NOT NULL,
    status TEXT NOT NULL,
    paid_at TIMESTAMP NOT NULL
);
CREATE INDEX payments_customer ON payments(customer_id, id);

CREATE TABLE transactions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    external_id TEXT UNIQUE,
    customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    amount BIGINT NOT NULL,
    balance_after BIGINT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL
);
CREATE INDEX transactions_customer ON transactions(customer_id, id);

CREATE TABLE services (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    external_id TEXT UNIQUE,
    customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    price BIGINT NOT NULL,
    currency TEXT NOT NULL,
    period TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    started_on DATE NOT NULL,
    renews_on DATE,
    status TEXT NOT NULL
);
CREATE INDEX services_customer ON services(customer_id, id);

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (customer_id, name)
);

CREATE TABLE numbers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    number TEXT NOT NULL UNIQUE,
    customer_description TEXT NOT NULL,
    backend_description TEXT NOT NULL,
    campaign_id BIGINT REFERENCES campaigns(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX numbers_customer ON numbers(customer_id, number);

-- Calls per number and day (UTC), kept at ingest for campaign call counts.
CREATE TABLE number_daily (
    number_id BIGINT NOT NULL REFERENCES numbers(id) ON DELETE CASCADE,
    day BIGINT NOT NULL,
    calls BIGINT NOT NULL,
    successful_calls BIGINT NOT NULL,
    PRIMARY KEY (number_id, day)
);
