# Portico — Deutsch. Jede Kennung gibt es auch in en und ru.

## Rahmen

app-skip = Zum Inhalt springen
app-leave-preview = Vorschau beenden
app-area-admin = Verwaltung
app-my-account = Mein Konto
app-profile = Profil
app-sign-out = Abmelden
app-sections = Bereiche
app-footer = Portico · Kundenportal
app-preview-banner = Vorschau: { $customer } aus Sicht eines Benutzers mit der Rolle „Benutzer“. Nur Lesezugriff.
app-previewing = Vorschau von { $customer }

## Wörter, die auf vielen Seiten vorkommen

common-save = Speichern
common-filter = Filtern
common-filters = Filter
common-any = Alle
common-delete = Löschen
common-cancel = Abbrechen
common-action = Aktion
common-actions = Aktionen
common-name = Name
common-email = E-Mail
common-email-address = E-Mail-Adresse
common-role = Rolle
common-status = Status
common-first-name = Vorname
common-last-name = Nachname
common-description = Beschreibung
common-label = Bezeichnung
common-currency = Währung
common-balance = Saldo
common-capacity = Kapazität
common-account = Konto
common-amount = Betrag
common-date = Datum
common-period = Zeitraum
common-price = Preis
common-quantity = Menge
common-number = Rufnummer
common-from = Von
common-to = Bis
common-when = Zeitpunkt
common-who = Wer
common-what = Was
common-object = Objekt
common-loading = Wird geladen …
common-older = Ältere →
common-none = keins
common-enable = Aktivieren
common-disable = Sperren
common-you = Sie
common-status-active = Aktiv
common-status-disabled = Gesperrt
common-status-invited = Eingeladen
common-invitation-link = Einladungslink
common-create-one = Jetzt anlegen
common-no-groups = Noch keine Gruppen.
common-no-tags = Noch keine Schlagwörter.
common-groups = Gruppen
common-tags = Schlagwörter
common-customers = Kunden
common-phone = Telefon
common-company-name = Firmenname
common-public = Öffentlich
common-private-codes = Vertraulich (Master / Lesen / Schreiben)
common-access-codes = Zugangscodes
common-postpaid = Nachträgliche Abrechnung
common-prepaid = Vorauszahlung
common-min = Min.
common-max = Max.
common-and = und
common-yes = ja
common-no = nein

## Rollen und Verfügbarkeit

role-admin = Administrator (Mitarbeiter)
role-manager = Manager (Mitarbeiter)
role-administrator = Administrator
role-developer = Entwickler
role-user = Benutzer
availability-all = Alle Kunden
availability-customer = Ein Kunde und seine Unterkunden
availability-groups = Kunden in bestimmten Gruppen
availability-disabled = Deaktiviert (gewährt nichts)

## Anmeldung, Einladung

login-title = Anmelden
login-intro = Melden Sie sich mit der E-Mail-Adresse und dem Passwort an, die Sie von Ihrem Anbieter erhalten haben.
login-password = Passwort
login-submit = Anmelden
login-failed = Die Anmeldung ist fehlgeschlagen. Prüfen Sie E-Mail-Adresse und Passwort oder versuchen Sie es später erneut.
invitation-title = Passwort festlegen
invitation-for = für { $email }
invitation-new-password = Neues Passwort
invitation-help = 12 bis 128 Zeichen.
invitation-repeat = Passwort wiederholen
invitation-submit = Passwort festlegen
msg-invitation-expired = Dieser Einladungslink ist abgelaufen oder wurde bereits verwendet. Bitten Sie um einen neuen.
msg-invitation-used = Dieser Einladungslink ist abgelaufen oder wurde bereits verwendet.
invitation-done = Ihr Passwort wurde festgelegt. Bitte melden Sie sich an.

## Fehlerseiten

error-400 = Die Anfrage wurde nicht verstanden
error-401 = Bitte melden Sie sich an
error-403 = Kein Zugriff
error-404 = Nicht gefunden
error-409 = Konflikt
error-413 = Zu groß
error-422 = Bitte prüfen Sie Ihre Eingaben
error-429 = Zu viele Versuche
error-503 = Vorübergehend nicht verfügbar
error-500 = Etwas ist schiefgelaufen
error-home = Zur Startseite
msg-internal = Bei uns ist etwas schiefgelaufen. Der Fehler wurde protokolliert.
msg-server = Bei uns ist etwas schiefgelaufen.
msg-not-found = Die angeforderte Seite oder der Datensatz existiert nicht.
msg-sign-in = Bitte melden Sie sich an.
msg-draw = Die Seite konnte nicht dargestellt werden.
msg-db-unavailable = Die Datenbank ist nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.
msg-db-busy = Die Datenbank ist ausgelastet oder nicht erreichbar. Bitte versuchen Sie es erneut.
msg-no-portal-section = Dieser Bereich gehört nicht zu Ihrem Portal.
msg-role-not-allowed = Ihre Rolle erlaubt das nicht.
msg-preview-read-only = In der Vorschau kann nichts geändert werden.
msg-portal-for-customers = Das Portal ist für Benutzer der Kunden gedacht. Mitarbeiter nutzen die Verwaltung (oder die Kundenvorschau).
msg-staff-area = Dieser Bereich ist den Mitarbeitern des Anbieters vorbehalten.
msg-admins-only = Das dürfen nur Administratoren.
msg-no-access = Sie haben keinen Zugriff auf diese Seite.
msg-cannot-disable-self = Sie können sich nicht selbst sperren.
msg-csrf = Das Formular ist abgelaufen oder stammt nicht von dieser Website. Laden Sie die Seite neu und versuchen Sie es erneut.
msg-record-referenced = Der Datensatz wird noch von anderen Datensätzen verwendet.

## Navigation des Portals (Umbenennungen nav.* des Kunden haben Vorrang)

nav-dashboard = Übersicht
nav-account = Konto
nav-outgoing-cdrs = Ausgehende Verbindungsdatensätze
nav-incoming-cdrs = Eingehende Verbindungsdatensätze
nav-outgoing-statistics = Statistik ausgehend
nav-incoming-statistics = Statistik eingehend
nav-active-calls = Aktive Gespräche
nav-rateplans = Tarife
nav-numberlists = Nummernlisten
nav-invoices = Rechnungen
nav-payments = Zahlungen
nav-services = Dienste
nav-transactions = Buchungen
nav-my-numbers = Meine Rufnummern
nav-my-campaigns = Meine Kampagnen
nav-daily-cdr-reports = Tägliche Verbindungsberichte
nav-users = Benutzer
nav-profile = Profil

## Navigation der Verwaltung

admin-nav-dashboard = Übersicht
admin-nav-customers = Kunden
admin-nav-profiles = Zugriffsprofile
admin-nav-groups = Kundengruppen
admin-nav-tags = Schlagwörter
admin-nav-staff = Mitarbeiter
admin-nav-audit = Änderungsprotokoll
admin-nav-me = Mein Konto

## Übersicht im Portal

dashboard-empty = Ihr Anbieter hat für Ihr Konto noch keine Portalbereiche freigeschaltet.
dashboard-empty-hint = Sie können trotzdem Folgendes verwalten:
dashboard-empty-link = Profil, Passwort und Sitzungen
card-balance-of = Saldo von { $account }
card-accounts = { $count ->
    [one] Abrechnungskonto
   *[other] Abrechnungskonten
}
card-no-account = noch kein Abrechnungskonto
card-outgoing-today = ausgehende Anrufe heute
card-incoming-today = eingehende Anrufe heute
card-calls-in-progress = laufende Gespräche
card-latest-invoice = letzte Rechnung, { $status }
card-no-invoices = noch keine Rechnungen
card-latest-payment = letzte Zahlung
card-no-payments = noch keine Zahlungen
card-active-services = aktive Dienste
card-numbers = { $count ->
    [one] Rufnummer
   *[other] Rufnummern
}
card-campaigns = { $count ->
    [one] Kampagne
   *[other] Kampagnen
}
card-numberlists = { $count ->
    [one] Nummernliste
   *[other] Nummernlisten
}
card-rateplans = { $count ->
    [one] Tarif
   *[other] Tarife
}
card-open = öffnen

## Portal: Konten

account-empty = Für Sie wurde noch kein Abrechnungskonto eröffnet.
account-min-balance = Mindestsaldo
account-max-balance = Höchstsaldo
account-type = Art
account-balance-hint = Salden sehen nur die Administratoren Ihres Unternehmens.

## Portal: Listen

list-payments-empty = Noch keine Zahlungen.
list-method = Zahlungsart
list-reference = Referenz
list-topup = Mit Kryptowährung aufladen
list-transactions-empty = Noch keine Buchungen.
list-kind = Art
list-balance-after = Saldo danach
list-services-empty = Keine Dienste.
list-service = Dienst
list-since = Seit
list-renews = Verlängerung
list-invoices-empty = Noch keine Rechnungen.
list-invoice = Rechnung
list-issued = Ausgestellt
list-due = Fällig
list-total = Gesamt
list-pdf = PDF
value-open = offen
value-paid = bezahlt
value-overdue = überfällig
value-void = storniert
value-active = aktiv
value-suspended = ausgesetzt
value-cancelled = gekündigt
value-monthly = monatlich
value-yearly = jährlich
value-weekly = wöchentlich
value-daily = täglich
value-one-time = einmalig
value-completed = abgeschlossen
value-pending = ausstehend
value-failed = fehlgeschlagen
value-refunded = erstattet
value-usage = Verbrauch
value-payment = Zahlung
value-adjustment = Korrektur
value-credit = Gutschrift
value-charge = Belastung

## Portal: Rechnung

invoice-back = ← Rechnungen
invoice-title = Rechnung { $number }
invoice-status = Status
invoice-line-description = Beschreibung
invoice-unit-price = Einzelpreis
invoice-no-lines = Keine Positionen.
invoice-net = Netto
invoice-tax = Steuer
invoice-total = Gesamt
invoice-download = PDF herunterladen
invoice-print = Für einen Ausdruck nutzen Sie die Druckfunktion Ihres Browsers.

## Portal: Tarife

rates-none-assigned = Ihrem Konto ist noch kein Tarif zugewiesen.
rates-check = Rufnummer prüfen
rates-number-to-call = Anzurufende Rufnummer
rates-check-submit = Preis prüfen
rates-tabs = Tarife
rates-count = { $count ->
    [one] { $count } Preis
   *[other] { $count } Preise
}
rates-prefix-starts = Vorwahl beginnt mit
rates-search = Suchen
rates-prefix = Vorwahl
rates-destination = Ziel
rates-rate-per-min = Preis / Min. ({ $currency })
rates-connect-fee = Verbindungsentgelt
rates-billing-step = Taktung
rates-seconds = { $count } s
rates-none-match = Keine passenden Preise.
rates-more = Weitere Preise →
rates-no-plan = Ihnen ist kein Tarif zugewiesen.
rates-result-prefix = Vorwahl
rates-per-min = /Min.
rates-result-connect-fee = Verbindungsentgelt { $fee }
rates-billed-per = Taktung { $seconds } s
rates-no-rate-for = kein Preis für { $number }

## Portal: Nummernlisten

numberlists-empty = Ihr Anbieter hat noch keine Nummernliste für Sie freigegeben.
numberlist-kind = { $kind ->
    [blocklist] Sperrliste
    [allowlist] Freigabeliste
   *[other] { $kind }
}
numberlist-note = Notiz
numberlist-remove = Entfernen
numberlist-is-empty = Die Liste ist leer.
numberlist-number-placeholder = Rufnummer oder Vorwahl
numberlist-number-label = Rufnummer für { $list }
numberlist-note-placeholder = Notiz (optional)
numberlist-add = Hinzufügen
numberlist-updated = Die Nummernliste wurde aktualisiert.

## Portal: Rufnummern und Kampagnen

numbers-yours = Ihre Beschreibung
numbers-operators = Beschreibung des Anbieters
numbers-empty = Ihnen sind noch keine Rufnummern zugewiesen.
numbers-description-of = Beschreibung von { $number }
numbers-more = Weitere Rufnummern →
numbers-saved = Gespeichert: { $description }
numbers-saved-flash = Die Beschreibung von { $number } wurde gespeichert.
campaigns-intro = Anrufe auf die Rufnummern jeder Kampagne in den letzten 30 Tagen.
campaigns-campaign = Kampagne
campaigns-numbers = Rufnummern
campaigns-calls = Anrufe
campaigns-answered = Angenommen
campaigns-empty = Noch keine Kampagnen.
campaigns-new = Neue Kampagne
campaigns-free-numbers = Rufnummern (noch in keiner Kampagne)
campaigns-all-used = Alle Ihre Rufnummern gehören bereits zu Kampagnen.
campaigns-create = Kampagne anlegen
campaigns-created = Die Kampagne „{ $name }“ wurde angelegt.

## Portal: tägliche Berichte

daily-intro = Eine CSV-Datei mit den Anrufen jedes Tages (beide Richtungen, Zeiten in Ihrer Zeitzone) für die letzten 90 Tage.
daily-day = Tag
daily-outgoing = Ausgehende Anrufe
daily-incoming = Eingehende Anrufe
daily-download = Herunterladen
daily-empty = Noch keine Tage mit Anrufen.

## Portal: Verbindungsdatensätze

cdrs-export = Als CSV exportieren
cdrs-number-starts = Rufnummer beginnt mit
cdrs-number-placeholder = z. B. 4930
cdrs-result = Ergebnis
cdrs-answered = Angenommen
cdrs-failed = Nicht zustande gekommen
cdrs-min-seconds = Min. Sekunden
cdrs-max-seconds = Max. Sekunden
cdrs-times-hint = Zeiten werden in Ihrer Zeitzone angezeigt (einstellbar in Ihrem Profil).
call-from = Von
call-to = An
cdrs-start = Beginn
cdrs-destination = Ziel
cdrs-duration = Dauer
cdrs-rate = Preis/Min.
cdrs-recording = Aufzeichnung
cdrs-none-match = Keine Anrufe entsprechen diesen Filtern.
cdrs-listen = Anhören
cdrs-download = Herunterladen
cdrs-load-more = Mehr laden
msg-whole-seconds = ganze Sekunden ≥ 0
msg-yes-no-any = ja, nein oder alle
msg-digits-only = nur Ziffern (eine Rufnummer oder ihr Anfang)
msg-bad-day = Der Tag muss als JJJJ-MM-TT.csv angegeben werden.
msg-not-a-date = „{ $value }“ ist weder ein Datum (JJJJ-MM-TT) noch eine Zeitangabe nach RFC 3339

## Portal: Statistik

stats-to-exclusive = Bis (ausschließlich)
stats-per = Je
stats-day = Tag
stats-hour = Stunde
stats-show = Anzeigen
stats-none = Für diese Richtung ist keine Statistik in Ihrem Tarif enthalten.
stats-right-now = gerade jetzt
stats-in-period = { $unit } im Zeitraum
stats-in-period-plain = im Zeitraum
stats-unit-seconds = Sekunden
stats-trend-only = Nur Verlauf: Die Zahlenwerte sind nicht Teil Ihres Tarifs.
stats-over-period = { $metric } im Zeitraum
stats-no-traffic = In diesem Zeitraum gab es keinen Verkehr.
stats-table = Tabelle
metric-active-calls = Aktive Gespräche
metric-total-calls = Anrufe gesamt
metric-successful-calls = Erfolgreiche Anrufe
metric-failed-calls = Erfolglose Anrufe
metric-asr = ASR
metric-acd = ACD
metric-total-duration = Gesamtdauer
metric-total-price = Gesamtpreis
msg-sampling = Die Auflösung muss „Stunde“ oder „Tag“ sein
msg-to-after-from = „Bis“ muss nach „Von“ liegen
msg-period-end = Das Ende des Zeitraums muss nach seinem Beginn liegen.
msg-too-many-hours = Zu viele Stunden: Wählen Sie einen kürzeren Zeitraum oder die tägliche Auflösung.
msg-period-too-long = Der Zeitraum ist zu lang.

## Portal: aktive Gespräche

active-in-progress = { $count ->
    [one] Gespräch läuft
   *[other] Gespräche laufen
}
active-truncated = (die neuesten werden angezeigt)
active-refresh = Aktualisierung alle 5 Sekunden.
active-started = Beginn
active-direction = Richtung
active-elapsed = Dauer bisher
active-none = Zurzeit laufen keine Gespräche.
direction-outgoing = Ausgehend
direction-incoming = Eingehend

## Portal: Aufladen mit Kryptowährung

topup-title = Mit Kryptowährung aufladen
topup-back = ← Zahlungen
topup-unavailable = Das Aufladen mit Kryptowährung ist derzeit nicht möglich. Bitte wenden Sie sich an Ihren Anbieter.
topup-intro = Sie werden zu Cryptomus weitergeleitet und zahlen dort in der Kryptowährung Ihrer Wahl. Ihr Guthaben wird gutgeschrieben, sobald die Zahlung bestätigt ist.
topup-continue = Weiter zur Zahlung
topup-handoff = Ihre Aufladung über { $amount } ist bereit. Sie werden zur Zahlung an Cryptomus weitergeleitet.
topup-yours = Ihre Aufladungen
topup-started = Begonnen
topup-none = Noch keine Aufladungen.
topup-pay-now = Jetzt bezahlen
topup-amount-invalid = Geben Sie den Betrag als Zahl ein, z. B. 50.00 ({ $reason }).
topup-status-created = Wird gestartet
topup-status-pending = Zahlung ausstehend
topup-status-paid = Bezahlt
topup-status-wrong-amount = Falscher Betrag bezahlt
topup-status-cancelled = Abgebrochen
topup-status-failed = Fehlgeschlagen
topup-status-refunded = Erstattet
topup-status-on-hold = Angehalten
topup-status-unknown = Unbekannt
msg-topup-off = Aufladen mit Kryptowährung ist nicht möglich: Es ist kein Zahlungsanbieter eingerichtet.
msg-no-account-to-top-up = Sie haben kein Konto, das aufgeladen werden kann.
msg-choose-own-account = Wählen Sie eines Ihrer Konten.
msg-amount-range = Geben Sie einen Betrag zwischen { $min } und { $max } ein.
msg-provider-unreachable = Der Zahlungsanbieter ist gerade nicht erreichbar. Bitte versuchen Sie es später erneut.
msg-provider-refused = Der Zahlungsanbieter hat die Aufladung nicht angenommen. Bitte versuchen Sie es später erneut.
msg-enter-amount = Betrag eingeben
msg-not-decimal = „{ $value }“ ist keine Dezimalzahl
msg-too-many-decimals = „{ $value }“ hat mehr als sechs Nachkommastellen
msg-too-large = „{ $value }“ ist zu groß

## Portal: Benutzer des Kunden

users-intro = Personen Ihres Unternehmens, die sich an diesem Portal anmelden können.
users-created-link = Der Benutzer wurde angelegt. Senden Sie ihm diesen Einladungslink (7 Tage gültig), damit er sein Passwort festlegen kann:
users-invite = Benutzer einladen
users-create = Anlegen und Einladungslink erzeugen
users-disabled-flash = Der Benutzer wurde gesperrt und abgemeldet.
users-enabled-flash = Der Benutzer wurde wieder aktiviert.

## Profil und „Mein Konto“

account-signed-in-as = Angemeldet als
account-company = Firmenprofil
account-access-profile = Zugriffsprofil
account-country-iso = Land (ISO-Code)
account-save-company = Firmenprofil speichern
account-company-admins-only = Nur die Administratoren Ihres Unternehmens können dies ändern.
account-no-codes = Keine Zugangscodes.
account-preview-note = Persönliche Einstellungen, Sitzungen und Tokens gehören dem jeweiligen Benutzer und sind nicht Teil der Vorschau.
account-personal = Persönliche Daten
account-language-tz = Sprache und Zeitzone
account-language = Sprache
account-language-browser = Wie im Browser eingestellt
account-time-zone = Zeitzone
account-save-settings = Einstellungen speichern
account-password = Passwort ändern
account-current-password = Aktuelles Passwort
account-new-password = Neues Passwort
account-password-help = 12 bis 128 Zeichen. Nach der Änderung werden Ihre anderen Sitzungen abgemeldet.
account-repeat-password = Neues Passwort wiederholen
account-change-password = Passwort ändern
account-sessions = Aktive Sitzungen
account-device = Gerät
account-address = Adresse
account-signed-in = Angemeldet
account-last-active = Zuletzt aktiv
account-this-device = dieses Gerät
account-end = Beenden
account-unknown-device = Unbekanntes Gerät
account-tokens = API-Tokens
account-tokens-intro-before = Mit Tokens können Skripte die
account-tokens-intro-after = in Ihrem Namen aufrufen:
account-new-token = Ihr neues Token. Kopieren Sie es jetzt – es wird nur dieses eine Mal angezeigt.
account-new-token-label = Neues API-Token
account-no-tokens = Noch keine Tokens.
account-token = Token
account-created = Erstellt
account-last-used = Zuletzt verwendet
account-never = nie
account-revoke = Widerrufen
account-token-name = Name des neuen Tokens
account-token-placeholder = z. B. Abgleich Buchhaltung
account-create-token = Token erstellen
flash-personal-saved = Ihre Angaben wurden gespeichert.
flash-settings-saved = Ihre Einstellungen wurden gespeichert.
flash-password-changed = Ihr Passwort wurde geändert. Ihre anderen Sitzungen wurden abgemeldet.
flash-company-saved = Das Firmenprofil wurde gespeichert.
flash-token-revoked = Das Token wurde widerrufen.
flash-session-ended = Die Sitzung wurde beendet.
msg-choose-language = Wählen Sie eine der angebotenen Sprachen.
msg-choose-time-zone = Wählen Sie eine Zeitzone aus der Liste (zum Beispiel Europe/Berlin).
msg-passwords-differ-new = Die beiden neuen Passwörter stimmen nicht überein.
msg-passwords-differ = Die beiden Passwörter stimmen nicht überein.
msg-current-password-wrong = Das aktuelle Passwort ist nicht richtig.
msg-password-min = Das Passwort muss mindestens { $min } Zeichen lang sein.
msg-password-max = Das Passwort darf höchstens { $max } Zeichen lang sein.
msg-token-name = Geben Sie dem Token einen Namen mit 1 bis 100 Zeichen.

## Prüfungen, die viele Formulare teilen

msg-required = Dieses Feld ist erforderlich.
msg-min-chars = Mindestens { $min } Zeichen.
msg-max-chars = Höchstens { $max } Zeichen.
msg-control-chars = Steuerzeichen sind nicht erlaubt.
msg-form-unreadable = Das Formular konnte nicht gelesen werden: { $reason }
msg-at-most-100 = Höchstens 100 Zeichen.
msg-at-most-200 = Höchstens 200 Zeichen.
msg-at-most-500 = Höchstens 500 Zeichen.
msg-1-to-200 = 1 bis 200 Zeichen
msg-at-most-n-chars = höchstens { $max } Zeichen
msg-not-negative = Darf nicht negativ sein.
msg-whole-number = Geben Sie eine ganze Zahl ≥ 0 ein.
msg-between-1-1000 = Zwischen 1 und 1000.
msg-expected-object = Erwartet wird ein Objekt.
msg-expected-json-object = Erwartet wird ein JSON-Objekt.
msg-not-json = Kein gültiges JSON: { $reason }
msg-already-exists = existiert bereits ({ $detail })

## Verwaltung: Übersicht

admin-title = Verwaltung
admin-cryptomus-off = Das Aufladen mit Kryptowährung ist ausgeschaltet: Kunden mit
admin-cryptomus-off-after = sehen es nicht.
admin-cryptomus-how = Um es anzubieten, setzen Sie
admin-card-customers = { $count ->
    [one] Kunde
   *[other] Kunden
}
admin-card-profiles = { $count ->
    [one] Zugriffsprofil
   *[other] Zugriffsprofile
}
admin-card-users = { $count ->
    [one] Portalbenutzer
   *[other] Portalbenutzer
}
admin-card-unassigned = Kunden ohne eigenes Profil
admin-recent = Letzte Aktivitäten
admin-nothing-yet = Bisher ist nichts geschehen.
admin-full-audit = Vollständiges Änderungsprotokoll →

## Verwaltung: Änderungsprotokoll

audit-title = Änderungsprotokoll
audit-email-placeholder = E-Mail
audit-action = Aktion
audit-object-type = Objekttyp
audit-object-id = Objekt-ID
audit-none = Keine passenden Einträge.
audit-change = Änderung
audit-diff = Unterschiede
audit-from = Von (IP)
audit-older = Ältere Einträge →
audit-kind-staff = Mitarbeiter
audit-kind-customer = Kunde
audit-kind-system = System
audit-kind-anonymous = anonym

## Verwaltung: Gruppen und Schlagwörter

groups-title = Kundengruppen
groups-intro = Gruppen legen fest, welchen Kunden ein Profil mit der Verfügbarkeit „Gruppen“ zugewiesen werden darf.
groups-empty = Noch keine Gruppen.
groups-name-of = Name der Gruppe { $group }
groups-rename = Umbenennen
groups-new = Neue Gruppe
groups-create = Gruppe anlegen
groups-created = Die Gruppe „{ $name }“ wurde angelegt.
groups-renamed = Die Gruppe wurde umbenannt.
groups-deleted = Die Gruppe „{ $name }“ wurde gelöscht.
tags-title = Schlagwörter
tags-tag = Schlagwort
tags-edit = Bearbeiten
tags-colour = Farbe
tags-new = Neues Schlagwort
tags-create = Schlagwort anlegen
tags-created = Das Schlagwort „{ $name }“ wurde angelegt.
tags-saved = Das Schlagwort wurde gespeichert.
tags-deleted = Das Schlagwort „{ $name }“ wurde gelöscht.
color-Magenta = Magenta
color-Red = Rot
color-Volcano = Vulkanrot
color-Orange = Orange
color-Gold = Gold
color-Lime = Limettengrün
color-Green = Grün
color-Cyan = Cyan
color-Blue = Blau
color-GeekBlue = Tiefblau
color-Purple = Violett
msg-group-name = Geben Sie der Gruppe einen Namen mit 1 bis 100 Zeichen.
msg-tag-name = Geben Sie dem Schlagwort einen Namen mit 1 bis 100 Zeichen.
msg-tag-color = Wählen Sie eine der Farben: { $colors }.
msg-group-name-taken = Es gibt bereits eine Gruppe mit diesem Namen.
msg-tag-name-taken = Es gibt bereits ein Schlagwort mit diesem Namen.
msg-group-in-use = { $count ->
    [one] Ein Zugriffsprofil ist für diese Gruppe verfügbar; ändern Sie es zuerst.
   *[other] { $count } Zugriffsprofile sind für diese Gruppe verfügbar; ändern Sie diese zuerst.
}

## Verwaltung: Mitarbeiter

staff-title = Mitarbeiter
staff-invitation = Senden Sie diesen Einladungslink (7 Tage gültig):
staff-add = Mitarbeiter hinzufügen
staff-initial-password = Anfangspasswort
staff-password-placeholder = leer: Einladungslink
staff-add-submit = Hinzufügen
staff-disabled = Der Mitarbeiter wurde gesperrt und abgemeldet.
staff-enabled = Der Mitarbeiter wurde wieder aktiviert.

## Verwaltung: Zugriffsprofile

profiles-title = Zugriffsprofile
profiles-new = Neues Profil
profiles-intro = Ein Profil ist eine Auswahl aus den { $count } Portalberechtigungen. Kunden erhalten das ihnen zugewiesene Profil, sonst das des nächsten übergeordneten Kunden, sonst das Standardprofil.
profiles-empty = Noch keine Zugriffsprofile.
profiles-create-first = Das erste anlegen
profiles-availability = Verfügbarkeit
profiles-permissions = Berechtigungen
profiles-version = Version
profiles-updated = Geändert
profiles-default = Standard
profiles-clone = Kopieren
profile-new-title = Neues Zugriffsprofil
profile-clone-title = Zugriffsprofil kopieren
profile-edit-title = Zugriffsprofil: { $name }
profile-copy-of = Kopie von { $name }
profile-back = ← Zugriffsprofile
profile-held-by = { $count ->
    [one] Direkt einem Kunden zugewiesen.
   *[other] Direkt { $count } Kunden zugewiesen.
}
profile-clone-link = Dieses Profil kopieren
profile-read-only = Sie können dieses Profil ansehen. Nur Administratoren dürfen Zugriffsprofile ändern.
profile-conflict-title = Jemand anderes hat dieses Profil zuerst gespeichert
profile-conflict-intro = Es hat jetzt die Version { $version }. Es wurde nichts überschrieben. Diese Felder unterscheiden sich zwischen dem gespeicherten Stand und Ihren Angaben:
profile-conflict-field = Feld
profile-conflict-saved = Jetzt gespeichert
profile-conflict-yours = Ihre Angabe
profile-conflict-outro = Ihre Werte stehen unten im Formular. Speichern Sie erneut, um den gespeicherten Stand durch Ihren zu ersetzen, oder laden Sie neu, um vom gespeicherten Stand auszugehen:
profile-conflict-reload = gespeicherten Stand laden
profile-conflict-has = enthält { $keys }
profile-conflict-adds = ergänzt { $keys }
profile-legend = Profil
profile-availability-help = Welchen Kunden das Profil zugewiesen werden darf. Deaktivierte Profile gewähren nichts.
profile-customer-for = Kunde (für die Verfügbarkeit „Ein Kunde“)
profile-groups-for = Kundengruppen (für die Verfügbarkeit „Gruppen“)
profile-default-label = Standardprofil (für Kunden ohne eigene oder geerbte Zuweisung)
profile-permissions = Berechtigungen
profile-save = Profil speichern
profile-create = Profil anlegen
profile-delete-confirm = Dieses Zugriffsprofil löschen?
profile-delete = Profil löschen
profile-delete-hint = Nur möglich, solange es keinem Kunden zugewiesen ist.
profile-live-saving = Änderungen an den Kästchen werden beim Anklicken gespeichert (Version { $version }).
profile-saving = Wird gespeichert …
profile-select-all = Alle auswählen
profile-select-none = Keine
profile-created = Das Profil „{ $name }“ wurde angelegt.
profile-saved = Gespeichert. Das Profil hat jetzt die Version { $version }.
profile-deleted = Das Profil „{ $name }“ wurde gelöscht.
profile-toggle-conflict = Jemand anderes hat dieses Profil inzwischen geändert (jetzt Version { $version }). Unten sehen Sie den gespeicherten Stand; Ihre Änderung wurde nicht übernommen.
profile-field-name = Name
profile-field-description = Beschreibung
profile-field-availability = Verfügbarkeit
profile-field-customer = Kunde
profile-field-groups = Kundengruppen
profile-field-default = Standard
profile-field-permissions = Berechtigungen
msg-profile-name = Geben Sie dem Profil einen Namen.
msg-profile-name-long = Der Name darf höchstens 200 Zeichen lang sein.
msg-profile-description-long = Die Beschreibung darf höchstens 2000 Zeichen lang sein.
msg-profile-availability = Wählen Sie eine der Verfügbarkeiten: alle, ein Kunde, Gruppen, deaktiviert.
msg-profile-customer-needed = Wählen Sie den Kunden, für den dieses Profil gilt.
msg-profile-customer-id = Geben Sie eine Kunden-ID ein (eine positive Zahl).
msg-profile-groups-needed = Wählen Sie mindestens eine Kundengruppe.
msg-profile-name-taken = Es gibt bereits ein Profil mit diesem Namen.
msg-profile-assigned = { $count ->
    [one] Das Profil ist einem Kunden zugewiesen; weisen Sie ihm zuerst ein anderes Profil zu.
   *[other] Das Profil ist { $count } Kunden zugewiesen; weisen Sie ihnen zuerst ein anderes Profil zu.
}
msg-profile-outside = { $count ->
    [one] Ein Kunde mit diesem Profil läge außerhalb dieser Verfügbarkeit.
   *[other] { $count } Kunden mit diesem Profil lägen außerhalb dieser Verfügbarkeit.
}
msg-unknown-keys = Unbekannte Berechtigungsschlüssel: { $keys }.
msg-unknown-key = Unbekannter Berechtigungsschlüssel: { $key }.
msg-no-customer = Es gibt keinen Kunden { $id }.
msg-no-group-named = Es gibt keine Kundengruppe namens { $name }.
msg-no-profile = Es gibt kein Zugriffsprofil { $id }.
msg-no-tag = Es gibt kein Schlagwort { $id }.
msg-customer-only-when = Ein Kunde wird nur bei der Verfügbarkeit „Ein Kunde“ angegeben.
msg-groups-only-when = Gruppen werden nur bei der Verfügbarkeit „Gruppen“ angegeben.

## Berechtigungskatalog (wie ihn das Profilformular zeigt)

group-general = Allgemein
group-outgoing_traffic = Ausgehender Verkehr
group-outgoing_statistics_metrics = Statistik ausgehend: Kennzahlen
group-outgoing_statistics_values = Statistik ausgehend: Zahlenwerte
group-incoming_traffic = Eingehender Verkehr
group-incoming_statistics_metrics = Statistik eingehend: Kennzahlen
group-incoming_statistics_values = Statistik eingehend: Zahlenwerte
group-billing = Abrechnung
group-numbers_and_campaigns = Rufnummern und Kampagnen
group-call_reports = Anrufberichte

perm-account = Konto
perm-account-help = Abrechnungskonten: Saldo (nur für Administratoren), Limits, Währung und Kapazität.
perm-listen_recording = Gesprächsaufzeichnungen anhören
perm-listen_recording-help = Aufzeichnungen von Verbindungsdatensätzen abspielen und herunterladen, deren Richtung ebenfalls freigegeben ist.
perm-outgoing_rateplans = Tarife
perm-outgoing_rateplans-help = Zugewiesene Tarife, Preissuche und Rufnummernprüfung.
perm-outgoing_cdrs = Ausgehende Verbindungsdatensätze
perm-outgoing_cdrs-help = Verbindungsdatensätze ausgehender Anrufe.
perm-outgoing_cdr_exports = Export von Verbindungsdatensätzen
perm-outgoing_cdr_exports-help = Ausgehende Verbindungsdatensätze als CSV herunterladen.
perm-outgoing_statistics = Statistik ausgehend
perm-outgoing_statistics-help = Verkehrsstatistik der ausgehenden Anrufe.
perm-outgoing_active_calls = Aktive Gespräche
perm-outgoing_active_calls-help = Gerade laufende Gespräche.
perm-outgoing_numberlists = Nummernlisten
perm-outgoing_numberlists-help = Nummernlisten, die der Anbieter diesem Kunden zur Pflege überlässt.
perm-incoming_cdrs = Eingehende Verbindungsdatensätze
perm-incoming_cdrs-help = Verbindungsdatensätze eingehender Anrufe.
perm-incoming_statistics = Statistik eingehend
perm-incoming_statistics-help = Verkehrsstatistik der eingehenden Anrufe.
perm-stat-active_calls = Aktive Gespräche
perm-stat-active_calls-help = Die aktuelle Zahl laufender Gespräche.
perm-stat-acd = ACD
perm-stat-acd-help = Durchschnittliche Gesprächsdauer der erfolgreichen Anrufe.
perm-stat-asr = ASR
perm-stat-asr-help = Anteil der angenommenen an allen Anrufversuchen.
perm-stat-failed_calls = Erfolglose Anrufe
perm-stat-failed_calls-help = Anrufe, die nicht zustande kamen.
perm-stat-successful_calls = Erfolgreiche Anrufe
perm-stat-successful_calls-help = Anrufe, die zustande kamen.
perm-stat-total_calls = Anrufe gesamt
perm-stat-total_calls-help = Alle Anrufe.
perm-stat-total_duration = Gesamtdauer
perm-stat-total_duration-help = Summe der Gesprächsdauern.
perm-stat-total_price = Gesamtpreis
perm-stat-total_price-help = Summe der Gesprächspreise.
perm-stat-acd_value = ACD-Zahlenwerte
perm-stat-acd_value-help = Die absoluten ACD-Werte anzeigen.
perm-stat-asr_value = ASR-Zahlenwerte
perm-stat-asr_value-help = Die absoluten ASR-Werte anzeigen.
perm-stat-failed_calls_value = Zahlenwerte erfolgloser Anrufe
perm-stat-failed_calls_value-help = Die absoluten Zahlen erfolgloser Anrufe anzeigen.
perm-stat-successful_calls_value = Zahlenwerte erfolgreicher Anrufe
perm-stat-successful_calls_value-help = Die absoluten Zahlen erfolgreicher Anrufe anzeigen.
perm-stat-total_calls_value = Zahlenwerte aller Anrufe
perm-stat-total_calls_value-help = Die absoluten Anrufzahlen anzeigen.
perm-stat-total_duration_value = Zahlenwerte der Gesamtdauer
perm-stat-total_duration_value-help = Die absoluten Gesprächsdauern anzeigen.
perm-stat-total_price_value = Zahlenwerte des Gesamtpreises
perm-stat-total_price_value-help = Die absoluten Preise anzeigen.
perm-invoices = Rechnungen
perm-invoices-help = Rechnungen mit druckbarer Ansicht und PDF.
perm-payments = Zahlungen
perm-payments-help = Eingegangene Zahlungen.
perm-payments_cryptomus = Aufladen mit Kryptowährung
perm-payments_cryptomus-help = Das Guthaben über Cryptomus mit Kryptowährung aufladen.
perm-services = Dienste
perm-services-help = Aktive Dienste mit Preisen und Verlängerungsterminen.
perm-transactions = Buchungen
perm-transactions-help = Alle Veränderungen des Saldos.
perm-my_numbers = Meine Rufnummern
perm-my_numbers-help = Die Rufnummern des Kunden mit Beschreibungen.
perm-my_numbers_edit_descriptions = Rufnummernbeschreibungen bearbeiten
perm-my_numbers_edit_descriptions-help = Die vom Kunden eingegebene Beschreibung einer Rufnummer ändern.
perm-my_campaigns = Meine Kampagnen
perm-my_campaigns-help = Kampagnen (zur Anrufauswertung gruppierte Rufnummern) mit Anrufzahlen.
perm-my_campaigns_manage = Kampagnen verwalten
perm-my_campaigns_manage-help = Kampagnen anlegen und festlegen, welche Rufnummern sie umfassen.
perm-daily_cdr_reports = Tägliche Verbindungsberichte
perm-daily_cdr_reports-help = Eine CSV-Datei mit den Verbindungsdatensätzen jedes Tages zum Herunterladen.
perm-backend_descriptions = Beschreibungen des Anbieters
perm-backend_descriptions-help = Im System des Anbieters erfasste Beschreibungen neben den Rufnummern anzeigen.

## Verwaltung: Kundenliste

customers-title = Kunden
customers-new = Neuer Kunde
customers-name-placeholder = Teil des Namens
customers-tag = Schlagwort
customers-group = Gruppe
customers-own-profile = Eigenes Profil
customers-descendants-of = Angezeigt werden die Unterkunden von Kunde #{ $id }.
customers-show-all = Alle anzeigen
customers-count = { $count ->
    [one] { $count } Kunde
   *[other] { $count } Kunden
}
customers-none-match = Keine passenden Kunden.
customers-create-first = Den ersten anlegen
customers-reference = Referenz
customers-parent = Übergeordnet
customers-effective-profile = Wirksames Profil
customers-source-own = eigenes
customers-source-inherited = geerbt
customers-source-default = Standard
customers-source-none = keins
customers-pages = Seiten
customers-previous = ← Zurück
customers-page-of = Seite { $page } von { $pages }
customers-next = Weiter →

## Verwaltung: ein Kunde

customer-title = Kunde: { $name }
customer-new-title = Neuer Kunde
customer-back = ← Kunden
customer-preview = Portalvorschau
customer-sub-customers = Unterkunden
customer-history = Verlauf
customer-invitation = Senden Sie dem Benutzer diesen Einladungslink (7 Tage gültig), damit er sein Passwort festlegen kann:
customer-profile = Zugriffsprofil
customer-effective = Wirksam:
customer-own-assignment = Eigene Zuweisung
customer-profile-none = Keine (vom übergeordneten Kunden erben, sonst Standardprofil)
customer-profile-unavailable = (für diesen Kunden nicht verfügbar)
customer-assign = Zuweisen
customer-effective-own = diesem Kunden zugewiesen
customer-effective-inherited = geerbt von Kunde #{ $id }
customer-effective-default = das Standardprofil
customer-effective-none = kein Profil: nur Übersicht und Profilseite
customer-effective-line = { $profile } ({ $how })
customer-effective-disabled = { $profile } ({ $how }) – deaktiviert, gewährt nichts
customer-details = Stammdaten
customer-reference-id = Referenz-ID (Ihre eigene)
customer-parent = Übergeordneter Kunde
customer-parent-none = Keiner (oberste Ebene)
customer-staging = Testkunde
customer-country = Land (ISO 3166)
customer-appearance = Erscheinungsbild des Portals
customer-override-app = Einstellungen des übergeordneten Kunden überschreiben (sonst geerbt)
customer-page-title = Seitentitel
customer-theme = Farbschema
customer-theme-auto = automatisch
customer-theme-light = hell
customer-theme-dark = dunkel
customer-logout-url = Adresse nach der Abmeldung
customer-custom-css = Eigenes CSS (als eigenes Stylesheet ausgeliefert)
customer-string-mappings = Umbenannte Texte (JSON), zum Beispiel:
customer-billing = Abrechnungseinstellungen
customer-override-billing = Abrechnungseinstellungen des übergeordneten Kunden überschreiben
customer-billing-items = Posten (JSON), zum Beispiel:
customer-hours-data = Geschäftszeiten und Daten
customer-schedule = Zeitplan (JSON: timeZoneId, defaultState, rules mit frequency, byDay, startDate, startTime, endTime, state …)
customer-data = Daten (JSON-Objekt)
customer-integration = Integrationsdaten (JSON), zum Beispiel:
customer-save = Kunden speichern
customer-create = Kunden anlegen
customer-accounts = Abrechnungskonten
customer-no-accounts = Noch keine Konten.
customer-open-account = Konto eröffnen
customer-account-placeholder = Hauptkonto
customer-public-text = Öffentlicher Text
customer-public-value = Öffentlicher Wert
customer-private-master = Vertraulich: Master
customer-private-read = Vertraulich: Lesen
customer-private-write = Vertraulich: Schreiben
customer-add-code = Zugangscode hinzufügen
customer-users = Portalbenutzer
customer-no-users = Noch keine Benutzer.
customer-role-of = Rolle von { $email }
customer-set = Setzen
customer-reset-password = Passwort zurücksetzen
customer-initial-password = Anfangspasswort
customer-password-placeholder = leer lassen für einen Einladungslink
customer-add-user = Benutzer hinzufügen
customer-delete-confirm = Diesen Kunden mit seinen Benutzern, Konten und Codes löschen?
customer-delete = Kunden löschen
customer-delete-hint = Nur möglich, solange er keine Unterkunden hat.
customer-saved = Der Kunde „{ $name }“ wurde gespeichert.
customer-deleted = Der Kunde „{ $name }“ wurde gelöscht.
customer-assigned = Die Zuweisung des Zugriffsprofils wurde gespeichert.
customer-account-opened = Das Konto wurde eröffnet.
customer-account-saved = Das Konto wurde gespeichert.
customer-code-added = Der Zugangscode wurde hinzugefügt.
customer-code-deleted = Der Zugangscode wurde gelöscht.
customer-user-created = Der Benutzer wurde mit dem angegebenen Passwort angelegt.
customer-user-disabled = Der Benutzer wurde gesperrt und überall abgemeldet.
customer-user-enabled = Der Benutzer wurde wieder aktiviert.
customer-role-changed = Die Rolle wurde geändert.
msg-choose-parent = Wählen Sie einen übergeordneten Kunden aus der Liste.
msg-choose-theme = Wählen Sie hell, dunkel oder automatisch.
msg-string-mappings = Erwartet wird ein JSON-Objekt mit Texten, z. B. { "{" }"nav.invoices": "Belege"{ "}" }.
msg-choose-profile = Wählen Sie ein Profil aus der Liste.
msg-choose-role = Wählen Sie Administrator, Entwickler oder Benutzer.
msg-customer-name = Geben Sie dem Kunden einen Namen mit 1 bis 200 Zeichen.
msg-reference-taken = Ein anderer Kunde hat bereits diese Referenz-ID.
msg-country-code = Verwenden Sie einen zweistelligen Ländercode nach ISO 3166, etwa DE.
msg-phone = Verwenden Sie Ziffern, Leerzeichen, +, - und Klammern (höchstens 32 Zeichen).
msg-url = Geben Sie eine http(s)-Adresse oder einen Pfad ein, der mit / beginnt.
msg-custom-css-size = Eigenes CSS darf höchstens 64 KiB groß sein.
msg-mappings-count = Höchstens 500 Umbenennungen.
msg-data-size = Höchstens 64 KiB Daten.
msg-parent-cycle = Ein Kunde kann nicht unter sich selbst oder einen seiner Unterkunden gestellt werden.
msg-sub-customers = { $count ->
    [one] Der Kunde hat einen Unterkunden; verschieben oder löschen Sie ihn zuerst.
   *[other] Der Kunde hat { $count } Unterkunden; verschieben oder löschen Sie diese zuerst.
}
msg-account-name = Geben Sie dem Konto einen Namen mit 1 bis 200 Zeichen.
msg-currency = Verwenden Sie einen dreistelligen Währungscode nach ISO 4217, etwa EUR.
msg-max-below-min = Der Höchstsaldo liegt unter dem Mindestsaldo.
msg-capacity = Geben Sie die Zahl gleichzeitiger Gespräche ein (0 bis 1000000).
msg-code-label = Geben Sie dem Code eine Bezeichnung mit 1 bis 200 Zeichen.
msg-email-needed = Geben Sie eine E-Mail-Adresse ein.
msg-email-at = Die E-Mail-Adresse braucht ein @.
msg-email-spaces = Die E-Mail-Adresse darf keine Leerzeichen enthalten.
msg-email-long = Die E-Mail-Adresse ist länger als 254 Zeichen.
msg-email-invalid = Das sieht nicht nach einer E-Mail-Adresse aus.
msg-email-taken = Es gibt bereits einen Benutzer mit dieser E-Mail-Adresse.
msg-time-zone = Unbekannte Zeitzone; verwenden Sie einen IANA-Namen wie Europe/Berlin.
msg-hours = Stunden liegen zwischen 0 und 23.
msg-minutes = Minuten liegen zwischen 0 und 59.
msg-months = Monate liegen zwischen 1 und 12.
msg-days = Tage liegen zwischen 1 und 31 oder zwischen -31 und -1.
msg-offsets = Versätze liegen zwischen -53 und 53.
msg-rules = Höchstens 100 Regeln.
msg-state-name = Geben Sie einen Zustandsnamen mit 1 bis 50 Zeichen an.
msg-times = Geben Sie startTime und endTime als HH:MM an oder setzen Sie isAllDay.
msg-after-start-time = Muss nach startTime liegen.
msg-not-before-start-date = Darf nicht vor startDate liegen.
msg-count-or-until = Verwenden Sie entweder count oder untilDate, nicht beides.
msg-choose-role-of = Wählen Sie eine Rolle: { $roles }.
msg-integration-shape = Erwartet wird { "{" }"systemName": { "{" }"thirdPartyId": "…"{ "}" }{ "}" }.
msg-integration-system = Erwartet wird { "{" }"thirdPartyId": "…"{ "}" }.
msg-billing-items = Erwartet wird ein Objekt mit Abrechnungsposten.

## Rufnummern, Nummernlisten, Kampagnen (Prüfungen)

msg-campaign-name = Geben Sie der Kampagne einen Namen mit 1 bis 100 Zeichen.
msg-campaign-taken = Sie haben bereits eine Kampagne mit diesem Namen.
msg-own-numbers = Wählen Sie Rufnummern aus Ihrer eigenen Liste.
msg-number-on-list = Diese Rufnummer steht bereits auf der Liste.
msg-list-full = Die Liste ist voll (10 000 Einträge).
msg-phone-prefix = Geben Sie eine Rufnummer oder Vorwahl ein (Ziffern, optional mit +).
msg-phone-number = Geben Sie eine Rufnummer ein (Ziffern, optional mit +).

# Numberlists a customer may manage (admin)
customer-numberlists-title = Nummernlisten
customer-numberlists-none = Noch keine Nummernlisten. Die Systeme des Betreibers legen sie mit POST /api/v1/numberlists an.
customer-numberlists-help = Nummernlisten, die dieser Kunde in seinem Portal verwalten darf
customer-numberlists-save = Nummernlisten speichern
customer-numberlists-saved = Die Nummernlisten wurden gespeichert.

## Zweiter Faktor, Passwort zurücksetzen, E-Mail

login-forgot = Passwort vergessen?
login-2fa-title = Zweiter Faktor
login-2fa-intro = Geben Sie den sechsstelligen Code Ihrer Authenticator-App oder einen Ihrer Wiederherstellungscodes ein.
login-2fa-code = Bestätigungscode
login-2fa-submit = Weiter
login-2fa-restart = Neu beginnen
login-2fa-wrong = Dieser Code stimmt nicht. Versuchen Sie den aktuellen Code Ihrer App oder einen Wiederherstellungscode.
twofa-title = Zweiter Faktor
twofa-required = Ihr Betreiber verlangt für Mitarbeitende einen zweiten Faktor. Richten Sie ihn ein, um fortzufahren.
twofa-recovery-title = Ihre Wiederherstellungscodes
twofa-recovery-intro = Der zweite Faktor ist eingeschaltet. Bewahren Sie diese Codes sicher auf: Jeder meldet Sie einmal an, falls Sie Ihr Telefon verlieren. Sie werden nur jetzt angezeigt.
twofa-done = Ich habe sie gespeichert
twofa-on = Der zweite Faktor ist eingeschaltet
twofa-on-intro = Bei der Anmeldung wird nach dem Passwort ein Code Ihrer Authenticator-App abgefragt.
twofa-disable-intro = Zum Ausschalten bestätigen Sie mit Ihrem aktuellen Passwort oder einem Code.
twofa-current-password = Aktuelles Passwort
twofa-or-code = oder ein Code (App oder Wiederherstellungscode)
twofa-disable = Zweiten Faktor ausschalten
twofa-back = Zurück zu meinem Konto
twofa-setup = Zweiten Faktor einrichten
twofa-step-scan = Scannen Sie den QR-Code mit einer Authenticator-App (oder tippen Sie den Schlüssel unten ein).
twofa-step-confirm = Geben Sie zur Bestätigung den sechsstelligen Code der App ein.
twofa-qr-alt = QR-Code für Ihre Authenticator-App
twofa-secret-label = Schlüssel zum Eintippen:
twofa-code = Code aus der App
twofa-confirm = Einschalten
twofa-wrong-code = Dieser Code stimmt nicht. Geben Sie den aktuellen Code Ihrer App ein.
twofa-not-confirmed = Nicht bestätigt: Geben Sie Ihr aktuelles Passwort oder einen aktuellen Code an.
twofa-disabled = Der zweite Faktor ist ausgeschaltet.
reset-forgot-title = Passwort zurücksetzen
reset-forgot-intro = Geben Sie die E-Mail-Adresse Ihres Kontos ein. Gehört sie zu einem Konto, senden wir einen Link, mit dem Sie ein neues Passwort wählen.
reset-sent = Falls die Adresse zu einem Konto gehört, ist ein Link unterwegs. Er ist eine Stunde gültig.
reset-forgot-submit = Link senden
reset-back-to-login = Zurück zur Anmeldung
reset-title = Neues Passwort wählen
reset-for = Für { $email }. Alle Sitzungen dieses Kontos werden beendet.
reset-submit = Neues Passwort setzen
reset-done = Ihr Passwort wurde geändert und alle Sitzungen wurden beendet. Melden Sie sich mit dem neuen Passwort an.
mail-greeting = Hallo { $name },
mail-footer = Diese Nachricht wurde von Portico gesendet. Bitte antworten Sie nicht darauf.
mail-invitation-subject = Ihr Zugang zum Kundenportal
mail-invitation-body = Für Sie wurde ein Konto im Kundenportal angelegt. Wählen Sie Ihr Passwort über den Link unten; er ist 7 Tage gültig.
mail-invitation-link = Passwort wählen
mail-reset-subject = Passwort zurücksetzen
mail-reset-body = Jemand, hoffentlich Sie, hat das Zurücksetzen des Passworts Ihres Kontos angefordert. Der Link unten ist eine Stunde gültig und funktioniert einmal. Waren Sie es nicht, ignorieren Sie diese Nachricht: Ihr Passwort bleibt unverändert.
mail-reset-link = Neues Passwort wählen
mail-2fa-reset-subject = Ihr zweiter Faktor wurde zurückgesetzt
mail-2fa-reset-body = Ein Administrator hat den zweiten Faktor Ihres Kontos entfernt und Sie überall abgemeldet. Melden Sie sich mit Ihrem Passwort an und richten Sie auf Ihrer Kontoseite einen neuen ein. Haben Sie das nicht veranlasst, wenden Sie sich an Ihren Administrator.
mail-2fa-reset-link = Anmelden
mail-low-balance-subject = Niedriges Guthaben: { $account }
mail-low-balance-body = Das Guthaben des Kontos { $account } beträgt { $balance } { $currency } und liegt unter dem Minimum von { $min } { $currency }. Laden Sie auf, damit Ihre Dienste weiterlaufen.
mail-low-balance-link = Ihre Konten ansehen
account-2fa = Zweiter Faktor
account-2fa-on = Ein: Bei der Anmeldung wird ein Code Ihrer Authenticator-App abgefragt.
account-2fa-off = Aus: Die Anmeldung braucht nur Ihr Passwort.
account-2fa-manage = Zweiten Faktor verwalten
admin-2fa = Zweiter Faktor
admin-2fa-reset = Zweiten Faktor zurücksetzen
admin-2fa-reset-done = Der zweite Faktor wurde entfernt; die Person wurde abgemeldet und per E-Mail informiert.
