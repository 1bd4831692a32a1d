DROP TRIGGER accounts_drop_traffic ON accounts;
DROP FUNCTION accounts_drop_traffic();
ALTER TABLE cdr_hourly ADD CONSTRAINT cdr_hourly_account_id_fkey
    FOREIGN KEY (account_id) REFERENCES accounts(id) ON DELETE CASCADE;
ALTER TABLE cdr_hourly ADD CONSTRAINT cdr_hourly_customer_id_fkey
    FOREIGN KEY (customer_id) REFERENCES customers(id) ON DELETE CASCADE;
ALTER TABLE cdrs ADD CONSTRAINT cdrs_account_id_fkey
    FOREIGN KEY (account_id) REFERENCES accounts(id) ON DELETE CASCADE;
