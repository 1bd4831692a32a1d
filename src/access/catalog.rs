//! THE permission catalog (SPEC §2). Every key is declared once here with its group, label,
//! help text and parent. The admin form, the portal navigation, the route guards, the API and
//! field redaction all read it.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Group {
    General,
    OutgoingTraffic,
    OutgoingStatisticsMetrics,
    OutgoingStatisticsValues,
    IncomingTraffic,
    IncomingStatisticsMetrics,
    IncomingStatisticsValues,
    Billing,
    NumbersAndCampaigns,
    CallReports,
}

impl Group {
    pub const ALL: [Group; 10] = [
        Group::General,
        Group::OutgoingTraffic,
        Group::OutgoingStatisticsMetrics,
        Group::OutgoingStatisticsValues,
        Group::IncomingTraffic,
        Group::IncomingStatisticsMetrics,
        Group::IncomingStatisticsValues,
        Group::Billing,
        Group::NumbersAndCampaigns,
        Group::CallReports,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Group::General => "General",
            Group::OutgoingTraffic => "Outgoing traffic",
            Group::OutgoingStatisticsMetrics => "Outgoing statistics metrics",
            Group::OutgoingStatisticsValues => "Outgoing statistics values",
            Group::IncomingTraffic => "Incoming traffic",
            Group::IncomingStatisticsMetrics => "Incoming statistics metrics",
            Group::IncomingStatisticsValues => "Incoming statistics values",
            Group::Billing => "Billing",
            Group::NumbersAndCampaigns => "Numbers and campaigns",
            Group::CallReports => "Call reports",
        }
    }

    /// A stable identifier for HTML ids and the API.
    pub fn slug(self) -> &'static str {
        match self {
            Group::General => "general",
            Group::OutgoingTraffic => "outgoing_traffic",
            Group::OutgoingStatisticsMetrics => "outgoing_statistics_metrics",
            Group::OutgoingStatisticsValues => "outgoing_statistics_values",
            Group::IncomingTraffic => "incoming_traffic",
            Group::IncomingStatisticsMetrics => "incoming_statistics_metrics",
            Group::IncomingStatisticsValues => "incoming_statistics_values",
            Group::Billing => "billing",
            Group::NumbersAndCampaigns => "numbers_and_campaigns",
            Group::CallReports => "call_reports",
        }
    }

    pub fn perms(self) -> impl Iterator<Item = Perm> {
        Perm::ALL.iter().copied().filter(move |p| p.group() == self)
    }
}

/// One catalog line.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub perm: Perm,
    pub key: &'static str,
    pub group: Group,
    pub parent: Option<Perm>,
    pub label: &'static str,
    pub help: &'static str,
}

macro_rules! catalog {
    ($( $variant:ident = $key:literal, $group:ident, $parent:expr, $label:literal, $help:literal; )*) => {
        /// A permission key.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Perm { $($variant),* }

        impl Perm {
            /// Every key, in catalog order.
            pub const ALL: &'static [Perm] = &[$(Perm::$variant),*];

            pub fn entry(self) -> Entry {
                match self {
                    $(Perm::$variant => Entry {
                        perm: Perm::$variant,
                        key: $key,
                        group: Group::$group,
                        parent: $parent,
                        label: $label,
                        help: $help,
                    }),*
                }
            }
        }
    };
}

use Perm as P;

catalog! {
    Account = "account", General, None, "Account", "Billing accounts: balance (administrators only), limits, currency and capacity.";
    ListenRecording = "listen_recording", General, None, "Listen to call recordings", "Play and download recordings of CDRs whose direction is also granted.";

    OutgoingRateplans = "outgoing_rateplans", OutgoingTraffic, None, "Rateplans", "Assigned rateplans, rate search and the number check.";
    OutgoingCdrs = "outgoing_cdrs", OutgoingTraffic, None, "Outgoing CDRs", "Call detail records of outgoing calls.";
    OutgoingCdrExports = "outgoing_cdr_exports", OutgoingTraffic, Some(P::OutgoingCdrs), "CDR exports", "Download outgoing CDRs as CSV.";
    OutgoingStatistics = "outgoing_statistics", OutgoingTraffic, None, "Outgoing statistics", "Traffic statistics of outgoing calls.";
    OutgoingActiveCalls = "outgoing_active_calls", OutgoingTraffic, None, "Active calls", "Calls in progress right now.";
    OutgoingNumberlists = "outgoing_numberlists", OutgoingTraffic, None, "Numberlists", "Numberlists the operator lets this customer manage.";

    OutgoingStatisticsActiveCalls = "outgoing_statistics_active_calls", OutgoingStatisticsMetrics, Some(P::OutgoingStatistics), "Active calls", "The current number of active calls.";
    OutgoingStatisticsAcd = "outgoing_statistics_acd", OutgoingStatisticsMetrics, Some(P::OutgoingStatistics), "ACD", "Average call duration over successful calls.";
    OutgoingStatisticsAsr = "outgoing_statistics_asr", OutgoingStatisticsMetrics, Some(P::OutgoingStatistics), "ASR", "Answer-seizure ratio.";
    OutgoingStatisticsFailedCalls = "outgoing_statistics_failed_calls", OutgoingStatisticsMetrics, Some(P::OutgoingStatistics), "Failed calls", "Calls that did not connect.";
    OutgoingStatisticsSuccessfulCalls = "outgoing_statistics_successful_calls", OutgoingStatisticsMetrics, Some(P::OutgoingStatistics), "Successful calls", "Calls that connected.";
    OutgoingStatisticsTotalCalls = "outgoing_statistics_total_calls", OutgoingStatisticsMetrics, Some(P::OutgoingStatistics), "Total calls", "All calls.";
    OutgoingStatisticsTotalDuration = "outgoing_statistics_total_duration", OutgoingStatisticsMetrics, Some(P::OutgoingStatistics), "Total duration", "Sum of call durations.";
    OutgoingStatisticsTotalPrice = "outgoing_statistics_total_price", OutgoingStatisticsMetrics, Some(P::OutgoingStatistics), "Total price", "Sum of call prices.";

    OutgoingStatisticsAcdValue = "outgoing_statistics_acd_value", OutgoingStatisticsValues, Some(P::OutgoingStatisticsAcd), "ACD numbers", "Show the absolute ACD figures.";
    OutgoingStatisticsAsrValue = "outgoing_statistics_asr_value", OutgoingStatisticsValues, Some(P::OutgoingStatisticsAsr), "ASR numbers", "Show the absolute ASR figures.";
    OutgoingStatisticsFailedCallsValue = "outgoing_statistics_failed_calls_value", OutgoingStatisticsValues, Some(P::OutgoingStatisticsFailedCalls), "Failed calls numbers", "Show the absolute failed-call figures.";
    OutgoingStatisticsSuccessfulCallsValue = "outgoing_statistics_successful_calls_value", OutgoingStatisticsValues, Some(P::OutgoingStatisticsSuccessfulCalls), "Successful calls numbers", "Show the absolute successful-call figures.";
    OutgoingStatisticsTotalCallsValue = "outgoing_statistics_total_calls_value", OutgoingStatisticsValues, Some(P::OutgoingStatisticsTotalCalls), "Total calls numbers", "Show the absolute call counts.";
    OutgoingStatisticsTotalDurationValue = "outgoing_statistics_total_duration_value", OutgoingStatisticsValues, Some(P::OutgoingStatisticsTotalDuration), "Total duration numbers", "Show the absolute durations.";
    OutgoingStatisticsTotalPriceValue = "outgoing_statistics_total_price_value", OutgoingStatisticsValues, Some(P::OutgoingStatisticsTotalPrice), "Total price numbers", "Show the absolute prices.";

    IncomingCdrs = "incoming_cdrs", IncomingTraffic, None, "Incoming CDRs", "Call detail records of incoming calls.";
    IncomingStatistics = "incoming_statistics", IncomingTraffic, None, "Incoming statistics", "Traffic statistics of incoming calls.";

    IncomingStatisticsActiveCalls = "incoming_statistics_active_calls", IncomingStatisticsMetrics, Some(P::IncomingStatistics), "Active calls", "The current number of active calls.";
    IncomingStatisticsAcd = "incoming_statistics_acd", IncomingStatisticsMetrics, Some(P::IncomingStatistics), "ACD", "Average call duration over successful calls.";
    IncomingStatisticsAsr = "incoming_statistics_asr", IncomingStatisticsMetrics, Some(P::IncomingStatistics), "ASR", "Answer-seizure ratio.";
    IncomingStatisticsFailedCalls = "incoming_statistics_failed_calls", IncomingStatisticsMetrics, Some(P::IncomingStatistics), "Failed calls", "Calls that did not connect.";
    IncomingStatisticsSuccessfulCalls = "incoming_statistics_successful_calls", IncomingStatisticsMetrics, Some(P::IncomingStatistics), "Successful calls", "Calls that connected.";
    IncomingStatisticsTotalCalls = "incoming_statistics_total_calls", IncomingStatisticsMetrics, Some(P::IncomingStatistics), "Total calls", "All calls.";
    IncomingStatisticsTotalDuration = "incoming_statistics_total_duration", IncomingStatisticsMetrics, Some(P::IncomingStatistics), "Total duration", "Sum of call durations.";
    IncomingStatisticsTotalPrice = "incoming_statistics_total_price", IncomingStatisticsMetrics, Some(P::IncomingStatistics), "Total price", "Sum of call prices.";

    IncomingStatisticsAcdValue = "incoming_statistics_acd_value", IncomingStatisticsValues, Some(P::IncomingStatisticsAcd), "ACD numbers", "Show the absolute ACD figures.";
    IncomingStatisticsAsrValue = "incoming_statistics_asr_value", IncomingStatisticsValues, Some(P::IncomingStatisticsAsr), "ASR numbers", "Show the absolute ASR figures.";
    IncomingStatisticsFailedCallsValue = "incoming_statistics_failed_calls_value", IncomingStatisticsValues, Some(P::IncomingStatisticsFailedCalls), "Failed calls numbers", "Show the absolute failed-call figures.";
    IncomingStatisticsSuccessfulCallsValue = "incoming_statistics_successful_calls_value", IncomingStatisticsValues, Some(P::IncomingStatisticsSuccessfulCalls), "Successful calls numbers", "Show the absolute successful-call figures.";
    IncomingStatisticsTotalCallsValue = "incoming_statistics_total_calls_value", IncomingStatisticsValues, Some(P::IncomingStatisticsTotalCalls), "Total calls numbers", "Show the absolute call counts.";
    IncomingStatisticsTotalDurationValue = "incoming_statistics_total_duration_value", IncomingStatisticsValues, Some(P::IncomingStatisticsTotalDuration), "Total duration numbers", "Show the absolute durations.";
    IncomingStatisticsTotalPriceValue = "incoming_statistics_total_price_value", IncomingStatisticsValues, Some(P::IncomingStatisticsTotalPrice), "Total price numbers", "Show the absolute prices.";

    Invoices = "invoices", Billing, None, "Invoices", "Invoices with printable detail and PDF.";
    Payments = "payments", Billing, None, "Payments", "Payments received.";
    PaymentsCryptomus = "payments_cryptomus", Billing, Some(P::Payments), "Crypto top-ups", "Top up the balance with crypto currency through Cryptomus.";
    Services = "services", Billing, None, "Services", "Active services with prices and renewal dates.";
    Transactions = "transactions", Billing, None, "Transactions", "Ledger of balance changes.";

    MyNumbers = "my_numbers", NumbersAndCampaigns, None, "My numbers", "The customer's numbers with descriptions.";
    MyNumbersEditDescriptions = "my_numbers_edit_descriptions", NumbersAndCampaigns, Some(P::MyNumbers), "Edit number descriptions", "Change the customer-entered description of a number.";
    MyCampaigns = "my_campaigns", NumbersAndCampaigns, None, "My campaigns", "Campaigns (numbers grouped for call tracking) with call counts.";
    MyCampaignsManage = "my_campaigns_manage", NumbersAndCampaigns, Some(P::MyCampaigns), "Manage campaigns", "Create campaigns and change which numbers they hold.";

    DailyCdrReports = "daily_cdr_reports", CallReports, None, "Daily CDR reports", "One CSV of CDRs per day, downloadable.";
    BackendDescriptions = "backend_descriptions", CallReports, None, "Backend descriptions", "Show descriptions entered in the operator's backend next to numbers.";
}

impl Perm {
    pub fn key(self) -> &'static str {
        self.entry().key
    }
    pub fn group(self) -> Group {
        self.entry().group
    }
    pub fn parent(self) -> Option<Perm> {
        self.entry().parent
    }
    pub fn label(self) -> &'static str {
        self.entry().label
    }
    pub fn help(self) -> &'static str {
        self.entry().help
    }
    pub fn from_key(key: &str) -> Option<Perm> {
        Perm::ALL.iter().copied().find(|p| p.key() == key)
    }
    /// Direct children in the catalog.
    pub fn children(self) -> impl Iterator<Item = Perm> {
        Perm::ALL.iter().copied().filter(move |p| p.parent() == Some(self))
    }
}

/// Parses a list of keys; unknown keys are an error naming them (never silently dropped).
pub fn parse_keys<'a>(keys: impl IntoIterator<Item = &'a str>) -> Result<Vec<Perm>, Vec<String>> {
    let mut out = Vec::new();
    let mut unknown = Vec::new();
    for k in keys {
        match Perm::from_key(k) {
            Some(p) => {
                if !out.contains(&p) {
                    out.push(p);
                }
            }
            None => unknown.push(k.to_string()),
        }
    }
    if unknown.is_empty() { Ok(out) } else { Err(unknown) }
}

/// The catalog as the API shows it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryView {
    pub key: &'static str,
    pub group: &'static str,
    pub group_label: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub parent: Option<&'static str>,
}

pub fn api_view() -> Vec<EntryView> {
    Perm::ALL
        .iter()
        .map(|p| {
            let e = p.entry();
            EntryView {
                key: e.key,
                group: e.group.slug(),
                group_label: e.group.label(),
                label: e.label,
                help: e.help,
                parent: e.parent.map(Perm::key),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_is_consistent() {
        assert_eq!(Perm::ALL.len(), 51);
        let mut keys: Vec<&str> = Perm::ALL.iter().map(|p| p.key()).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), 51, "keys are unique");
        for p in Perm::ALL {
            assert!(p.key().chars().all(|c| c.is_ascii_lowercase() || c == '_'));
            if let Some(parent) = p.parent() {
                assert!(Perm::ALL.iter().position(|x| *x == parent) < Perm::ALL.iter().position(|x| x == p));
            }
        }
        // The 45 operator keys come before the MyAccount ones.
        assert_eq!(Perm::ALL.iter().position(|p| *p == Perm::MyNumbers), Some(45));
        assert_eq!(parse_keys(["account", "nope"]), Err(vec!["nope".to_string()]));
    }
}
