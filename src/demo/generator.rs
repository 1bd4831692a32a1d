//! The demo's CDR generator: realistic destinations, answer rates and durations, and tiny
//! audio and PDF files to attach.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, LogNormal};

use crate::traffic::ingest::{NewCdr, ParsedCdr};

/// A realistic rate deck: (prefix, destination, rate per minute, answer rate).
pub const DECK: [(&str, &str, &str, f64); 40] = [
    ("1", "USA/Canada", "0.004000", 0.62),
    ("31", "Netherlands", "0.007500", 0.58),
    ("316", "Netherlands mobile", "0.028000", 0.55),
    ("33", "France", "0.007000", 0.57),
    ("336", "France mobile", "0.030000", 0.54),
    ("337", "France mobile", "0.030000", 0.54),
    ("34", "Spain", "0.006500", 0.56),
    ("346", "Spain mobile", "0.021000", 0.53),
    ("39", "Italy", "0.007000", 0.55),
    ("393", "Italy mobile", "0.024000", 0.52),
    ("41", "Switzerland", "0.012000", 0.60),
    ("43", "Austria", "0.009000", 0.58),
    ("44", "United Kingdom", "0.006000", 0.60),
    ("447", "United Kingdom mobile", "0.025000", 0.55),
    ("48", "Poland", "0.008000", 0.52),
    ("485", "Poland mobile", "0.018000", 0.50),
    ("49", "Germany", "0.008000", 0.61),
    ("4915", "Germany mobile", "0.035000", 0.56),
    ("4916", "Germany mobile", "0.035000", 0.56),
    ("4917", "Germany mobile", "0.035000", 0.56),
    ("52", "Mexico", "0.015000", 0.45),
    ("55", "Brazil", "0.014000", 0.43),
    ("61", "Australia", "0.011000", 0.57),
    ("62", "Indonesia", "0.040000", 0.38),
    ("63", "Philippines", "0.120000", 0.36),
    ("7", "Russia", "0.045000", 0.44),
    ("79", "Russia mobile", "0.060000", 0.42),
    ("81", "Japan", "0.020000", 0.59),
    ("86", "China", "0.012000", 0.47),
    ("90", "Turkey", "0.030000", 0.46),
    ("91", "India", "0.018000", 0.40),
    ("971", "United Arab Emirates", "0.110000", 0.41),
    ("972", "Israel", "0.016000", 0.55),
    ("234", "Nigeria", "0.150000", 0.33),
    ("254", "Kenya", "0.130000", 0.35),
    ("27", "South Africa", "0.045000", 0.45),
    ("353", "Ireland", "0.009000", 0.58),
    ("358", "Finland", "0.014000", 0.60),
    ("420", "Czech Republic", "0.009000", 0.57),
    ("46", "Sweden", "0.008000", 0.60),
];

const FAILURES: [(i32, &str); 6] = [
    (17, "User busy"),
    (18, "No user responding"),
    (19, "No answer from user"),
    (21, "Call rejected"),
    (34, "No circuit/channel available"),
    (127, "Interworking, unspecified"),
];

pub(super) fn digits(rng: &mut StdRng, n: usize) -> String {
    (0..n).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect()
}

/// Builds `n` CDRs over the last 30 days for the demo customers (weighted), with the rates of
/// [`DECK`], answer rates and durations like real traffic; incoming calls hit the customers'
/// own numbers.
pub fn generate_cdrs(customers: &[(i64, i64, f64, Vec<String>)], n: usize, seed: u64, now_ms: i64) -> Vec<ParsedCdr> {
    generate_cdrs_in(customers, n, seed, now_ms - 30 * 86_400_000, 30 * 86_400_000)
}

/// Like [`generate_cdrs`], with calls starting within `[start, start + span_ms)`.
pub fn generate_cdrs_in(
    customers: &[(i64, i64, f64, Vec<String>)],
    n: usize,
    seed: u64,
    start: i64,
    span_ms: i64,
) -> Vec<ParsedCdr> {
    let mut rng = StdRng::seed_from_u64(seed);
    let talk = LogNormal::new(4.6, 0.9).expect("valid log-normal");
    let total_weight: f64 = customers.iter().map(|c| c.2).sum();
    let month_ms = span_ms.max(1);
    let rates: Vec<i64> = DECK.iter().map(|d| crate::money::parse(d.2).unwrap_or(0)).collect();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        // Customer by weight.
        let mut pick = rng.random::<f64>() * total_weight;
        let mut ci = 0;
        for (k, c) in customers.iter().enumerate() {
            if pick < c.2 {
                ci = k;
                break;
            }
            pick -= c.2;
            ci = k;
        }
        let (customer, account, _, own_numbers) = &customers[ci];
        // Time: busier during the day (local business hours around 08-20 UTC).
        let mut t = start + rng.random_range(0..month_ms);
        let hour = (t / 3_600_000) % 24;
        if !(7..=20).contains(&hour) && rng.random::<f64>() < 0.6 {
            t = start + rng.random_range(0..month_ms);
        }
        let incoming = !own_numbers.is_empty() && rng.random::<f64>() < 0.25;
        let d = rng.random_range(0..DECK.len());
        let (prefix, name, _, asr) = DECK[d];
        let success = rng.random::<f64>() < asr;
        let duration: i32 = if success { (talk.sample(&mut rng) as i32).clamp(1, 7200) } else { 0 };
        let ring_ms = rng.random_range(2_000..25_000i64);
        let rate = rates[d];
        let billed = if success { ((duration + 5) / 6 * 6).max(6) } else { 0 };
        let price = rate * i64::from(billed) / 60;
        let (src, dst) = if incoming {
            (
                format!("{prefix}{}", digits(&mut rng, 11 - prefix.len().min(9))),
                own_numbers[rng.random_range(0..own_numbers.len())].clone(),
            )
        } else {
            let src = if own_numbers.is_empty() {
                format!("4930{}", digits(&mut rng, 7))
            } else {
                own_numbers[rng.random_range(0..own_numbers.len())].clone()
            };
            (src, format!("{prefix}{}", digits(&mut rng, 11 - prefix.len().min(9))))
        };
        let (code, reason) =
            if success { (16, "Normal call clearing") } else { FAILURES[rng.random_range(0..FAILURES.len())] };
        out.push(ParsedCdr {
            row: i + 1,
            account_id: Some(*account),
            customer_id: Some(*customer),
            cdr: NewCdr {
                external_id: format!("demo-{seed}-{i}"),
                customer_id: *customer,
                account_id: *account,
                direction: if incoming { crate::traffic::INCOMING } else { crate::traffic::OUTGOING },
                time_start: t,
                time_connect: success.then_some(t + ring_ms),
                time_end: Some(t + ring_ms + i64::from(duration) * 1000),
                duration,
                billed_duration: billed,
                success,
                src_number: src,
                dst_number: dst,
                destination_prefix: if incoming { String::new() } else { prefix.to_string() },
                destination_name: if incoming { "Inbound".to_string() } else { name.to_string() },
                rate: if incoming { 0 } else { rate },
                price: if incoming { 0 } else { price },
                disconnect_code: Some(code),
                disconnect_reason: reason.to_string(),
            },
        });
    }
    out
}

/// A short WAV tone (8 kHz, mono, 16-bit) for demo recordings.
pub fn wav_tone(seconds: u32, freq: f64) -> Vec<u8> {
    let rate = 8000u32;
    let samples = rate * seconds;
    let mut v = Vec::with_capacity(44 + samples as usize * 2);
    let data_len = samples * 2;
    v.extend_from_slice(b"RIFF");
    v.extend_from_slice(&(36 + data_len).to_le_bytes());
    v.extend_from_slice(b"WAVEfmt ");
    v.extend_from_slice(&16u32.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&rate.to_le_bytes());
    v.extend_from_slice(&(rate * 2).to_le_bytes());
    v.extend_from_slice(&2u16.to_le_bytes());
    v.extend_from_slice(&16u16.to_le_bytes());
    v.extend_from_slice(b"data");
    v.extend_from_slice(&data_len.to_le_bytes());
    for i in 0..samples {
        let t = f64::from(i) / f64::from(rate);
        let envelope = (t * 2.0).sin().abs().min(1.0);
        let s = ((t * freq * std::f64::consts::TAU).sin() * 9000.0 * envelope) as i16;
        v.extend_from_slice(&s.to_le_bytes());
    }
    v
}

/// A one-page PDF with a line of text, for the demo invoices.
pub fn tiny_pdf(text: &str) -> Vec<u8> {
    let safe: String = text.chars().filter(|c| c.is_ascii_alphanumeric() || " .,-:".contains(*c)).collect();
    let stream = format!("BT /F1 18 Tf 72 720 Td ({safe}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    pdf
}
