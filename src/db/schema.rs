//! The database schema, hand-written with types portable across SQLite and PostgreSQL.
//! Ids are BigInt, money is BigInt micro-units, JSON is Text, times are UTC Timestamps.

diesel::table! {
    settings (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    customers (id) {
        id -> BigInt,
        name -> Text,
        reference_id -> Nullable<Text>,
        parent_id -> Nullable<BigInt>,
        is_staging -> Bool,
        access_profile_id -> Nullable<BigInt>,
        data -> Text,
        integration_data -> Text,
        override_app_settings -> Bool,
        app_settings -> Text,
        override_billing_settings -> Bool,
        billing_settings -> Text,
        schedule -> Nullable<Text>,
        company_name -> Text,
        country_code -> Text,
        phone -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Text,
        last_modified_by -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        kind -> Text,
        role -> Text,
        customer_id -> Nullable<BigInt>,
        first_name -> Text,
        last_name -> Text,
        password_hash -> Nullable<Text>,
        disabled -> Bool,
        lang -> Text,
        time_zone -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        handle -> Text,
        user_id -> Nullable<BigInt>,
        state -> Text,
        user_agent -> Nullable<Text>,
        ip -> Nullable<Text>,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    login_throttle (account) {
        account -> Text,
        failures -> Integer,
        window_start -> Timestamp,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        name -> Text,
        token_hash -> Text,
        hint -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_kind -> Text,
        actor_id -> Nullable<BigInt>,
        actor_label -> Text,
        action -> Text,
        object_type -> Text,
        object_id -> Nullable<Text>,
        diff -> Nullable<Text>,
        source_ip -> Nullable<Text>,
    }
}

diesel::table! {
    customer_groups (id) {
        id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    customer_group_members (customer_id, group_id) {
        customer_id -> BigInt,
        group_id -> BigInt,
    }
}

diesel::table! {
    tags (id) {
        id -> BigInt,
        name -> Text,
        color -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    customer_tags (customer_id, tag_id) {
        customer_id -> BigInt,
        tag_id -> BigInt,
    }
}

diesel::table! {
    access_profiles (id) {
        id -> BigInt,
        name -> Text,
        description -> Text,
        availability -> Text,
        customer_id -> Nullable<BigInt>,
        is_default -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    access_profile_permissions (profile_id, perm) {
        profile_id -> BigInt,
        perm -> Text,
    }
}

diesel::table! {
    access_profile_groups (profile_id, group_id) {
        profile_id -> BigInt,
        group_id -> BigInt,
    }
}

diesel::table! {
    accounts (id) {
        id -> BigInt,
        customer_id -> BigInt,
        name -> Text,
        currency -> Text,
        balance -> BigInt,
        min_balance -> BigInt,
        max_balance -> Nullable<BigInt>,
        is_postpaid -> Bool,
        capacity -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    access_codes (id) {
        id -> BigInt,
        customer_id -> BigInt,
        label -> Text,
        public_text -> Text,
        public_value -> Text,
        private_master -> Text,
        private_read -> Text,
        private_write -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    invitations (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// On PostgreSQL partitioned by month of `time_start`, with the primary key (id,
    /// time_start) a partitioned table needs; `id` alone is still unique (one sequence), so it
    /// is the key here and `find(id)` works on both. Unique external ids: SQLite's index, or
    /// the `cdr_keys` table on PostgreSQL (see `traffic::ingest`).
    cdrs (id) {
        id -> BigInt,
        external_id -> Text,
        customer_id -> BigInt,
        account_id -> BigInt,
        direction -> SmallInt,
        time_start -> BigInt,
        time_connect -> Nullable<BigInt>,
        time_end -> Nullable<BigInt>,
        duration -> Integer,
        billed_duration -> Integer,
        success -> Bool,
        src_number -> Text,
        dst_number -> Text,
        destination_prefix -> Text,
        destination_name -> Text,
        rate -> BigInt,
        price -> BigInt,
        disconnect_code -> Nullable<Integer>,
        disconnect_reason -> Text,
        recording -> Nullable<Text>,
        recording_size -> Nullable<BigInt>,
    }
}

diesel::table! {
    cdr_hourly (customer_id, direction, hour, account_id) {
        customer_id -> BigInt,
        account_id -> BigInt,
        direction -> SmallInt,
        hour -> BigInt,
        total_calls -> BigInt,
        successful_calls -> BigInt,
        total_duration -> BigInt,
        success_duration -> BigInt,
        billed_duration -> BigInt,
        total_price -> BigInt,
    }
}

diesel::table! {
    active_calls (id) {
        id -> BigInt,
        external_id -> Text,
        customer_id -> BigInt,
        account_id -> BigInt,
        direction -> SmallInt,
        time_start -> BigInt,
        time_connect -> Nullable<BigInt>,
        src_number -> Text,
        dst_number -> Text,
        destination_name -> Text,
        rate -> BigInt,
    }
}

diesel::table! {
    rateplans (id) {
        id -> BigInt,
        name -> Text,
        currency -> Text,
        description -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    rates (id) {
        id -> BigInt,
        rateplan_id -> BigInt,
        prefix -> Text,
        destination_name -> Text,
        rate -> BigInt,
        connect_fee -> BigInt,
        billing_increment -> Integer,
    }
}

diesel::table! {
    customer_rateplans (customer_id, rateplan_id) {
        customer_id -> BigInt,
        rateplan_id -> BigInt,
    }
}

diesel::table! {
    numberlists (id) {
        id -> BigInt,
        name -> Text,
        kind -> Text,
        description -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    numberlist_customers (numberlist_id, customer_id) {
        numberlist_id -> BigInt,
        customer_id -> BigInt,
    }
}

diesel::table! {
    numberlist_items (id) {
        id -> BigInt,
        numberlist_id -> BigInt,
        number -> Text,
        note -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    invoices (id) {
        id -> BigInt,
        external_id -> Nullable<Text>,
        customer_id -> BigInt,
        account_id -> BigInt,
        number -> Text,
        issued_on -> Date,
        period_start -> Date,
        period_end -> Date,
        due_on -> Date,
        currency -> Text,
        amount -> BigInt,
        tax -> BigInt,
        total -> BigInt,
        status -> Text,
        lines -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    invoice_pdfs (invoice_id) {
        invoice_id -> BigInt,
        content -> Binary,
        uploaded_at -> Timestamp,
    }
}

diesel::table! {
    payments (id) {
        id -> BigInt,
        external_id -> Nullable<Text>,
        customer_id -> BigInt,
        account_id -> BigInt,
        amount -> BigInt,
        currency -> Text,
        method -> Text,
        reference -> Text,
        status -> Text,
        paid_at -> Timestamp,
    }
}

diesel::table! {
    transactions (id) {
        id -> BigInt,
        external_id -> Nullable<Text>,
        customer_id -> BigInt,
        account_id -> BigInt,
        amount -> BigInt,
        balance_after -> BigInt,
        kind -> Text,
        description -> Text,
        occurred_at -> Timestamp,
    }
}

diesel::table! {
    services (id) {
        id -> BigInt,
        external_id -> Nullable<Text>,
        customer_id -> BigInt,
        account_id -> BigInt,
        name -> Text,
        description -> Text,
        price -> BigInt,
        currency -> Text,
        period -> Text,
        quantity -> Integer,
        started_on -> Date,
        renews_on -> Nullable<Date>,
        status -> Text,
    }
}

diesel::table! {
    campaigns (id) {
        id -> BigInt,
        customer_id -> BigInt,
        name -> Text,
        description -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    numbers (id) {
        id -> BigInt,
        customer_id -> BigInt,
        number -> Text,
        customer_description -> Text,
        backend_description -> Text,
        campaign_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    number_daily (number_id, day) {
        number_id -> BigInt,
        day -> BigInt,
        calls -> BigInt,
        successful_calls -> BigInt,
    }
}

diesel::table! {
    topups (id) {
        id -> BigInt,
        order_id -> Text,
        customer_id -> BigInt,
        account_id -> BigInt,
        user_id -> Nullable<BigInt>,
        amount -> BigInt,
        currency -> Text,
        provider_uuid -> Nullable<Text>,
        payment_url -> Nullable<Text>,
        status -> Text,
        paid_amount -> Nullable<Text>,
        payer_currency -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    webhook_rejections (source) {
        source -> Text,
        pending -> Integer,
        last_reason -> Text,
        audited_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    user_totp (user_id) {
        user_id -> BigInt,
        secret -> Text,
        last_step -> BigInt,
        enabled_at -> Timestamp,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> BigInt,
        user_id -> BigInt,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    password_resets (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    rate_counters (key) {
        key -> Text,
        count -> Integer,
        window_start -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        kind -> Text,
        recipient -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        created_at -> Timestamp,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
    }
}

diesel::joinable!(users -> customers (customer_id));
diesel::joinable!(customer_group_members -> customers (customer_id));
diesel::joinable!(customer_group_members -> customer_groups (group_id));
diesel::joinable!(customer_tags -> customers (customer_id));
diesel::joinable!(customer_tags -> tags (tag_id));
diesel::joinable!(access_profile_permissions -> access_profiles (profile_id));
diesel::joinable!(access_profile_groups -> access_profiles (profile_id));
diesel::joinable!(access_profile_groups -> customer_groups (group_id));
diesel::joinable!(accounts -> customers (customer_id));
diesel::joinable!(access_codes -> customers (customer_id));
diesel::joinable!(invitations -> users (user_id));
diesel::joinable!(rates -> rateplans (rateplan_id));
diesel::joinable!(invoice_pdfs -> invoices (invoice_id));
diesel::joinable!(customer_rateplans -> rateplans (rateplan_id));
diesel::joinable!(numberlist_customers -> numberlists (numberlist_id));
diesel::joinable!(numberlist_items -> numberlists (numberlist_id));
diesel::joinable!(numbers -> campaigns (campaign_id));
diesel::joinable!(number_daily -> numbers (number_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(user_totp -> users (user_id));
diesel::joinable!(recovery_codes -> users (user_id));
diesel::joinable!(password_resets -> users (user_id));

diesel::table! {
    /// Moved by triggers on every change to customers, access profiles and their permissions:
    /// nodes check their cached customer contexts against it (`access::resolve::Contexts`).
    access_epoch (id) {
        id -> BigInt,
        n -> BigInt,
        moves -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    settings,
    access_epoch,
    customers,
    users,
    sessions,
    login_throttle,
    api_tokens,
    audit_log,
    customer_groups,
    customer_group_members,
    tags,
    customer_tags,
    access_profiles,
    access_profile_permissions,
    access_profile_groups,
    accounts,
    access_codes,
    invitations,
    cdrs,
    cdr_hourly,
    active_calls,
    rateplans,
    rates,
    customer_rateplans,
    numberlists,
    numberlist_customers,
    numberlist_items,
    invoices,
    invoice_pdfs,
    payments,
    transactions,
    services,
    campaigns,
    numbers,
    number_daily,
    topups,
    webhook_rejections,
    user_totp,
    recovery_codes,
    password_resets,
    rate_counters,
    outbox,
);
