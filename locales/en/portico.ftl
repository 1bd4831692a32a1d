# Portico — English (the reference: every id here exists in de and ru too).
# Ids: area-thing. Messages starting with msg- are recognised by their English text when model
# code produces them (validation, refusals) and shown translated on pages.

## Frame

app-skip = Skip to content
app-leave-preview = Leave preview
app-area-admin = Admin
app-my-account = My account
app-profile = Profile
app-sign-out = Sign out
app-sections = Sections
app-footer = Portico · customer portal
app-preview-banner = Preview: { $customer } as a user with the role "user". Read-only.
app-previewing = previewing { $customer }

## Words used on many pages

common-save = Save
common-filter = Filter
common-filters = Filters
common-any = Any
common-delete = Delete
common-cancel = Cancel
common-action = Action
common-actions = Actions
common-name = Name
common-email = E-mail
common-email-address = E-mail address
common-role = Role
common-status = Status
common-first-name = First name
common-last-name = Last name
common-description = Description
common-label = Label
common-currency = Currency
common-balance = Balance
common-capacity = Capacity
common-account = Account
common-amount = Amount
common-date = Date
common-period = Period
common-price = Price
common-quantity = Quantity
common-number = Number
common-from = From
common-to = To
common-when = When
common-who = Who
common-what = What
common-object = Object
common-loading = Loading…
common-older = Older →
common-none = none
common-enable = Enable
common-disable = Disable
common-you = you
common-status-active = Active
common-status-disabled = Disabled
common-status-invited = Invited
common-invitation-link = Invitation link
common-create-one = Create one
common-no-groups = No groups yet.
common-no-tags = No tags yet.
common-groups = Groups
common-tags = Tags
common-customers = Customers
common-phone = Phone
common-company-name = Company name
common-public = Public
common-private-codes = Private (master / read / write)
common-access-codes = Access codes
common-postpaid = Postpaid
common-prepaid = Prepaid
common-min = Min
common-max = Max
common-and = and
common-yes = yes
common-no = no

## Roles and availability

role-admin = Administrator (staff)
role-manager = Manager (staff)
role-administrator = Administrator
role-developer = Developer
role-user = User
availability-all = All customers
availability-customer = One customer and its descendants
availability-groups = Customers in groups
availability-disabled = Disabled (grants nothing)

## Sign-in, invitation

login-title = Sign in
login-intro = Use the e-mail address and password you were given by your operator.
login-password = Password
login-submit = Sign in
login-failed = Sign-in failed. Check your e-mail address and password, or try again later.
invitation-title = Choose your password
invitation-for = for { $email }
invitation-new-password = New password
invitation-help = 12 to 128 characters.
invitation-repeat = Repeat it
invitation-submit = Set password
msg-invitation-expired = This invitation link has expired or was already used. Ask for a new one.
msg-invitation-used = This invitation link has expired or was already used.
invitation-done = Your password has been set. Please sign in.

## Error pages

error-400 = That request was not understood
error-401 = Please sign in
error-403 = No access
error-404 = Not found
error-409 = Conflict
error-413 = Too large
error-422 = Please check your input
error-429 = Too many attempts
error-503 = Temporarily unavailable
error-500 = Something went wrong
error-home = Go to the start page
msg-internal = Something went wrong on our side. It has been logged.
msg-server = Something went wrong on our side.
msg-not-found = The page or record you asked for does not exist.
msg-sign-in = Please sign in.
msg-draw = The page could not be drawn.
msg-db-unavailable = The database is unavailable. Please try again shortly.
msg-db-busy = The database is busy or unavailable. Please try again.
msg-no-portal-section = This section is not part of your portal.
msg-role-not-allowed = Your role does not allow this.
msg-preview-read-only = The preview is read-only.
msg-portal-for-customers = The portal is for customers' users. Staff use the admin area (or a customer preview).
msg-staff-area = This area is for the operator's staff.
msg-admins-only = Only administrators may do this.
msg-no-access = You do not have access to this page.
msg-cannot-disable-self = You cannot disable yourself.
msg-csrf = The form has expired or did not come from this site. Reload the page and try again.
msg-record-referenced = the record is still referenced by other records

## Navigation of the portal (customer relabelling keys nav.* apply on top)

nav-dashboard = Dashboard
nav-account = Account
nav-outgoing-cdrs = Outgoing CDRs
nav-incoming-cdrs = Incoming CDRs
nav-outgoing-statistics = Outgoing statistics
nav-incoming-statistics = Incoming statistics
nav-active-calls = Active calls
nav-rateplans = Rateplans
nav-numberlists = Numberlists
nav-invoices = Invoices
nav-payments = Payments
nav-services = Services
nav-transactions = Transactions
nav-my-numbers = My numbers
nav-my-campaigns = My campaigns
nav-daily-cdr-reports = Daily CDR reports
nav-users = Users
nav-profile = Profile

## Navigation of the admin area

admin-nav-dashboard = Dashboard
admin-nav-customers = Customers
admin-nav-profiles = Access profiles
admin-nav-groups = Customer groups
admin-nav-tags = Tags
admin-nav-staff = Staff
admin-nav-audit = Audit log
admin-nav-me = My account

## Portal dashboard

dashboard-empty = Your operator has not opened any portal sections for your account yet.
dashboard-empty-hint = You can still manage your
dashboard-empty-link = profile, password and sessions
card-balance-of = balance of { $account }
card-accounts = { $count ->
    [one] billing account
   *[other] billing accounts
}
card-no-account = no billing account yet
card-outgoing-today = outgoing calls today
card-incoming-today = incoming calls today
card-calls-in-progress = calls in progress
card-latest-invoice = latest invoice, { $status }
card-no-invoices = no invoices yet
card-latest-payment = latest payment
card-no-payments = no payments yet
card-active-services = active services
card-numbers = { $count ->
    [one] number
   *[other] numbers
}
card-campaigns = { $count ->
    [one] campaign
   *[other] campaigns
}
card-numberlists = { $count ->
    [one] numberlist
   *[other] numberlists
}
card-rateplans = { $count ->
    [one] rateplan
   *[other] rateplans
}
card-open = open

## Portal: accounts

account-empty = No billing account has been opened for you yet.
account-min-balance = Minimum balance
account-max-balance = Maximum balance
account-type = Type
account-balance-hint = Balances are shown to your company's administrators.

## Portal: record lists

list-payments-empty = No payments yet.
list-method = Method
list-reference = Reference
list-topup = Top up with crypto
list-transactions-empty = No transactions yet.
list-kind = Kind
list-balance-after = Balance after
list-services-empty = No services.
list-service = Service
list-since = Since
list-renews = Renews
list-invoices-empty = No invoices yet.
list-invoice = Invoice
list-issued = Issued
list-due = Due
list-total = Total
list-pdf = PDF
value-open = open
value-paid = paid
value-overdue = overdue
value-void = void
value-active = active
value-suspended = suspended
value-cancelled = cancelled
value-monthly = monthly
value-yearly = yearly
value-weekly = weekly
value-daily = daily
value-one-time = one-time
value-completed = completed
value-pending = pending
value-failed = failed
value-refunded = refunded
value-usage = usage
value-payment = payment
value-adjustment = adjustment
value-credit = credit
value-charge = charge

## Portal: invoice

invoice-back = ← Invoices
invoice-title = Invoice { $number }
invoice-status = Status
invoice-line-description = Description
invoice-unit-price = Unit price
invoice-no-lines = No line items.
invoice-net = Net
invoice-tax = Tax
invoice-total = Total
invoice-download = Download PDF
invoice-print = Use your browser's print function for a paper copy.

## Portal: rateplans

rates-none-assigned = No rateplan is assigned to your account yet.
rates-check = Check a number
rates-number-to-call = Number to call
rates-check-submit = Check rate
rates-tabs = Rateplans
rates-count = { $count ->
    [one] { $count } rate
   *[other] { $count } rates
}
rates-prefix-starts = Prefix starts with
rates-search = Search
rates-prefix = Prefix
rates-destination = Destination
rates-rate-per-min = Rate / min ({ $currency })
rates-connect-fee = Connect fee
rates-billing-step = Billing step
rates-seconds = { $count } s
rates-none-match = No rates match.
rates-more = More rates →
rates-no-plan = No rateplan is assigned to you.
rates-result-prefix = prefix
rates-per-min = /min
rates-result-connect-fee = connect fee { $fee }
rates-billed-per = billed per { $seconds } s
rates-no-rate-for = no rate for { $number }

## Portal: numberlists

numberlists-empty = Your operator has not shared a numberlist with you yet.
numberlist-kind = { $kind ->
    [blocklist] blocklist
    [allowlist] allowlist
   *[other] { $kind }
}
numberlist-note = Note
numberlist-remove = Remove
numberlist-is-empty = The list is empty.
numberlist-number-placeholder = Number or prefix
numberlist-number-label = Number to add to { $list }
numberlist-note-placeholder = Note (optional)
numberlist-add = Add
numberlist-updated = The numberlist has been updated.

## Portal: numbers and campaigns

numbers-yours = Your description
numbers-operators = Operator's description
numbers-empty = No numbers are assigned to you yet.
numbers-description-of = Description of { $number }
numbers-more = More numbers →
numbers-saved = Saved: { $description }
numbers-saved-flash = The description of { $number } has been saved.
campaigns-intro = Calls to each campaign's numbers over the last 30 days.
campaigns-campaign = Campaign
campaigns-numbers = Numbers
campaigns-calls = Calls
campaigns-answered = Answered
campaigns-empty = No campaigns yet.
campaigns-new = New campaign
campaigns-free-numbers = Numbers (not yet in a campaign)
campaigns-all-used = All your numbers are in campaigns.
campaigns-create = Create campaign
campaigns-created = The campaign "{ $name }" has been created.

## Portal: daily reports

daily-intro = One CSV of calls per day (both directions, times in your time zone), for the last 90 days.
daily-day = Day
daily-outgoing = Outgoing calls
daily-incoming = Incoming calls
daily-download = Download
daily-empty = No days with calls yet.

## Portal: CDRs

cdrs-export = Export CSV
cdrs-number-starts = Number starts with
cdrs-number-placeholder = e.g. 4930
cdrs-result = Result
cdrs-answered = Answered
cdrs-failed = Failed
cdrs-min-seconds = Min. seconds
cdrs-max-seconds = Max. seconds
cdrs-times-hint = Times are shown in your time zone (set it on your profile).
call-from = From
call-to = To
cdrs-start = Start
cdrs-destination = Destination
cdrs-duration = Duration
cdrs-rate = Rate
cdrs-recording = Recording
cdrs-none-match = No calls match these filters.
cdrs-listen = Listen
cdrs-download = Download
cdrs-load-more = Load more
msg-whole-seconds = whole seconds ≥ 0
msg-yes-no-any = yes, no or any
msg-digits-only = digits only (a number or its beginning)
msg-bad-day = The day must be written as YYYY-MM-DD.csv.
msg-not-a-date = `{ $value }` is neither a date (YYYY-MM-DD) nor an RFC 3339 time

## Portal: statistics

stats-to-exclusive = To (exclusive)
stats-per = Per
stats-day = day
stats-hour = hour
stats-show = Show
stats-none = No statistics are part of your plan for this direction.
stats-right-now = right now
stats-in-period = { $unit } in the period
stats-in-period-plain = in the period
stats-unit-seconds = seconds
stats-trend-only = Trend only: the figures are not part of your plan.
stats-over-period = { $metric } over the period
stats-no-traffic = No traffic in this period.
stats-table = Table
metric-active-calls = Active calls
metric-total-calls = Total calls
metric-successful-calls = Successful calls
metric-failed-calls = Failed calls
metric-asr = ASR
metric-acd = ACD
metric-total-duration = Total duration
metric-total-price = Total price
msg-sampling = sampling must be hour or day
msg-to-after-from = to must be after from
msg-period-end = The end of the period must be after its start.
msg-too-many-hours = Too many hours: choose a shorter period or daily sampling.
msg-period-too-long = The period is too long.

## Portal: active calls

active-in-progress = { $count ->
    [one] call in progress
   *[other] calls in progress
}
active-truncated = (showing the newest)
active-refresh = Refreshes every 5 seconds.
active-started = Started
active-direction = Direction
active-elapsed = Elapsed
active-none = No calls in progress.
direction-outgoing = Outgoing
direction-incoming = Incoming

## Portal: crypto top-ups

topup-title = Top up with crypto
topup-back = ← Payments
topup-unavailable = Crypto top-ups are not available right now. Please contact your operator.
topup-intro = You will be taken to Cryptomus to pay in the crypto currency of your choice. Your balance is credited as soon as the payment is confirmed.
topup-continue = Continue to payment
topup-handoff = Your top-up of { $amount } is ready. You are being taken to Cryptomus to pay.
topup-yours = Your top-ups
topup-started = Started
topup-none = No top-ups yet.
topup-pay-now = Pay now
topup-amount-invalid = Enter the amount as a number, e.g. 50.00 ({ $reason }).
topup-status-created = Starting
topup-status-pending = Waiting for payment
topup-status-paid = Paid
topup-status-wrong-amount = Wrong amount paid
topup-status-cancelled = Cancelled
topup-status-failed = Failed
topup-status-refunded = Refunded
topup-status-on-hold = On hold
topup-status-unknown = Unknown
msg-topup-off = Crypto top-ups are not available: no payment provider is configured.
msg-no-account-to-top-up = You have no account to top up.
msg-choose-own-account = Choose one of your accounts.
msg-amount-range = Enter an amount between { $min } and { $max }.
msg-provider-unreachable = The payment provider cannot be reached right now. Please try again later.
msg-provider-refused = The payment provider did not accept the top-up. Please try again later.
msg-enter-amount = enter an amount
msg-not-decimal = `{ $value }` is not a decimal number
msg-too-many-decimals = `{ $value }` has more than six decimal places
msg-too-large = `{ $value }` is too large

## Portal: users of the customer

users-intro = People of your company who can sign in to this portal.
users-created-link = The user has been created. Send them this invitation link (valid for 7 days) to set their password:
users-invite = Invite a user
users-create = Create and get invitation link
users-disabled-flash = The user has been disabled and signed out.
users-enabled-flash = The user has been enabled.

## Profile and "my account" page

account-signed-in-as = Signed in as
account-company = Company profile
account-access-profile = access profile
account-country-iso = Country (ISO code)
account-save-company = Save company profile
account-company-admins-only = Only your company's administrators can change this.
account-no-codes = No access codes.
account-preview-note = Personal settings, sessions and tokens belong to each user and are not part of the preview.
account-personal = Personal data
account-language-tz = Language and time zone
account-language = Language
account-language-browser = Browser default
account-time-zone = Time zone
account-save-settings = Save settings
account-password = Change password
account-current-password = Current password
account-new-password = New password
account-password-help = 12 to 128 characters. Changing it signs out your other sessions.
account-repeat-password = Repeat the new password
account-change-password = Change password
account-sessions = Active sessions
account-device = Device
account-address = Address
account-signed-in = Signed in
account-last-active = Last active
account-this-device = this device
account-end = End
account-unknown-device = Unknown device
account-tokens = API tokens
account-tokens-intro-before = Tokens let scripts call the
account-tokens-intro-after = as you:
account-new-token = Your new token. Copy it now: it is shown only once.
account-new-token-label = New API token
account-no-tokens = No tokens yet.
account-token = Token
account-created = Created
account-last-used = Last used
account-never = never
account-revoke = Revoke
account-token-name = New token name
account-token-placeholder = e.g. billing sync
account-create-token = Create token
flash-personal-saved = Your details have been saved.
flash-settings-saved = Your settings have been saved.
flash-password-changed = Your password has been changed. Other sessions were signed out.
flash-company-saved = The company profile has been saved.
flash-token-revoked = The token has been revoked.
flash-session-ended = The session has been ended.
msg-choose-language = Choose one of the offered languages.
msg-choose-time-zone = Choose a time zone from the list (for example Europe/Berlin).
msg-passwords-differ-new = The two new passwords differ.
msg-passwords-differ = The two passwords differ.
msg-current-password-wrong = The current password is not right.
msg-password-min = The password needs at least { $min } characters.
msg-password-max = The password can have at most { $max } characters.
msg-token-name = Give the token a name of 1 to 100 characters.

## Field checks shared by many forms

msg-required = This field is required.
msg-min-chars = Enter at least { $min } characters.
msg-max-chars = Enter at most { $max } characters.
msg-control-chars = Control characters are not allowed.
msg-form-unreadable = The form could not be read: { $reason }
msg-at-most-100 = At most 100 characters.
msg-at-most-200 = At most 200 characters.
msg-at-most-500 = At most 500 characters.
msg-1-to-200 = 1 to 200 characters
msg-at-most-n-chars = at most { $max } characters
msg-not-negative = Must not be negative.
msg-whole-number = Enter a whole number ≥ 0.
msg-between-1-1000 = Between 1 and 1000.
msg-expected-object = Expected an object.
msg-expected-json-object = Expected a JSON object.
msg-not-json = Not valid JSON: { $reason }
msg-already-exists = already exists ({ $detail })

## Admin: dashboard

admin-title = Admin
admin-cryptomus-off = Crypto top-ups are switched off: customers holding
admin-cryptomus-off-after = do not see them.
admin-cryptomus-how = To offer them, set
admin-card-customers = { $count ->
    [one] customer
   *[other] customers
}
admin-card-profiles = { $count ->
    [one] access profile
   *[other] access profiles
}
admin-card-users = { $count ->
    [one] portal user
   *[other] portal users
}
admin-card-unassigned = customers without an own profile
admin-recent = Recent activity
admin-nothing-yet = Nothing has happened yet.
admin-full-audit = Full audit log →

## Admin: audit log

audit-title = Audit log
audit-email-placeholder = e-mail
audit-action = Action
audit-object-type = Object type
audit-object-id = Object id
audit-none = No entries match.
audit-change = Change
audit-diff = diff
audit-from = From
audit-older = Older entries →
audit-kind-staff = staff
audit-kind-customer = customer
audit-kind-system = system
audit-kind-anonymous = anonymous

## Admin: groups and tags

groups-title = Customer groups
groups-intro = Groups decide which customers a profile with availability "groups" may be assigned to.
groups-empty = No groups yet.
groups-name-of = Name of group { $group }
groups-rename = Rename
groups-new = New group
groups-create = Create group
groups-created = The group "{ $name }" has been created.
groups-renamed = The group has been renamed.
groups-deleted = The group "{ $name }" has been deleted.
tags-title = Tags
tags-tag = Tag
tags-edit = Edit
tags-colour = Colour
tags-new = New tag
tags-create = Create tag
tags-created = The tag "{ $name }" has been created.
tags-saved = The tag has been saved.
tags-deleted = The tag "{ $name }" has been deleted.
color-Magenta = Magenta
color-Red = Red
color-Volcano = Volcano
color-Orange = Orange
color-Gold = Gold
color-Lime = Lime
color-Green = Green
color-Cyan = Cyan
color-Blue = Blue
color-GeekBlue = Geek blue
color-Purple = Purple
msg-group-name = Give the group a name of 1 to 100 characters.
msg-tag-name = Give the tag a name of 1 to 100 characters.
msg-tag-color = Choose one of: { $colors }.
msg-group-name-taken = Another group already has this name.
msg-tag-name-taken = Another tag already has this name.
msg-group-in-use = { $count } access profile(s) are available to this group; change them first.

## Admin: staff

staff-title = Staff
staff-invitation = Send this invitation link (valid for 7 days):
staff-add = Add a staff member
staff-initial-password = Initial password
staff-password-placeholder = empty: invitation link
staff-add-submit = Add
staff-disabled = The staff member has been disabled and signed out.
staff-enabled = The staff member has been enabled.

## Admin: access profiles

profiles-title = Access profiles
profiles-new = New profile
profiles-intro = A profile is a set of the { $count } portal permissions. Customers get the profile assigned to them, else the nearest ancestor's, else the default.
profiles-empty = No access profiles yet.
profiles-create-first = Create the first one
profiles-availability = Availability
profiles-permissions = Permissions
profiles-version = Version
profiles-updated = Updated
profiles-default = default
profiles-clone = Clone
profile-new-title = New access profile
profile-clone-title = Clone access profile
profile-edit-title = Access profile: { $name }
profile-copy-of = Copy of { $name }
profile-back = ← Access profiles
profile-held-by = { $count ->
    [one] Held directly by { $count } customer.
   *[other] Held directly by { $count } customers.
}
profile-clone-link = Clone this profile
profile-read-only = You can view this profile. Only administrators may change access profiles.
profile-conflict-title = Someone else saved this profile first
profile-conflict-intro = It is now at version { $version }. Nothing was overwritten. These fields differ between what is saved and what you sent:
profile-conflict-field = Field
profile-conflict-saved = Saved now
profile-conflict-yours = Yours
profile-conflict-outro = Your values are in the form below. Save again to replace the saved version with yours, or reload to start from what is saved:
profile-conflict-reload = reload the saved version
profile-conflict-has = has { $keys }
profile-conflict-adds = adds { $keys }
profile-legend = Profile
profile-availability-help = Which customers the profile may be assigned to. Disabled profiles grant nothing.
profile-customer-for = Customer (for availability "customer")
profile-groups-for = Customer groups (for availability "groups")
profile-default-label = Default profile (for customers without an assignment of their own or inherited)
profile-permissions = Permissions
profile-save = Save profile
profile-create = Create profile
profile-delete-confirm = Delete this access profile?
profile-delete = Delete profile
profile-delete-hint = Only possible while no customer holds it.
profile-live-saving = Changes to the checkboxes are saved as you click (version { $version }).
profile-saving = Saving…
profile-select-all = Select all
profile-select-none = None
profile-created = The profile "{ $name }" has been created.
profile-saved = Saved. The profile is now at version { $version }.
profile-deleted = The profile "{ $name }" has been deleted.
profile-toggle-conflict = Someone else changed this profile meanwhile (now version { $version }). Below is what is saved now; nothing of yours was applied.
profile-field-name = Name
profile-field-description = Description
profile-field-availability = Availability
profile-field-customer = Customer
profile-field-groups = Customer groups
profile-field-default = Default
profile-field-permissions = Permissions
msg-profile-name = Give the profile a name.
msg-profile-name-long = The name can have at most 200 characters.
msg-profile-description-long = The description can have at most 2000 characters.
msg-profile-availability = Choose one of: all, customer, groups, disabled.
msg-profile-customer-needed = Choose the customer this profile is for.
msg-profile-customer-id = Enter a customer id (a positive number).
msg-profile-groups-needed = Choose at least one customer group.
msg-profile-name-taken = Another profile already has this name.
msg-profile-assigned = The profile is assigned to { $count } customer(s); assign them another profile first.
msg-profile-outside = { $count } customer(s) holding this profile would fall outside that availability.
msg-unknown-keys = Unknown permission key(s): { $keys }.
msg-unknown-key = Unknown permission key: { $key }.
msg-no-customer = There is no customer { $id }.
msg-no-group-named = There is no customer group named { $name }.
msg-no-profile = There is no access profile { $id }.
msg-no-tag = There is no tag { $id }.
msg-customer-only-when = A customer is only set when availability is "customer".
msg-groups-only-when = Groups are only set when availability is "groups".

## Permission catalog (as the admin form shows it)

group-general = General
group-outgoing_traffic = Outgoing traffic
group-outgoing_statistics_metrics = Outgoing statistics metrics
group-outgoing_statistics_values = Outgoing statistics values
group-incoming_traffic = Incoming traffic
group-incoming_statistics_metrics = Incoming statistics metrics
group-incoming_statistics_values = Incoming statistics values
group-billing = Billing
group-numbers_and_campaigns = Numbers and campaigns
group-call_reports = Call reports

perm-account = Account
perm-account-help = Billing accounts: balance (administrators only), limits, currency and capacity.
perm-listen_recording = Listen to call recordings
perm-listen_recording-help = Play and download recordings of CDRs whose direction is also granted.
perm-outgoing_rateplans = Rateplans
perm-outgoing_rateplans-help = Assigned rateplans, rate search and the number check.
perm-outgoing_cdrs = Outgoing CDRs
perm-outgoing_cdrs-help = Call detail records of outgoing calls.
perm-outgoing_cdr_exports = CDR exports
perm-outgoing_cdr_exports-help = Download outgoing CDRs as CSV.
perm-outgoing_statistics = Outgoing statistics
perm-outgoing_statistics-help = Traffic statistics of outgoing calls.
perm-outgoing_active_calls = Active calls
perm-outgoing_active_calls-help = Calls in progress right now.
perm-outgoing_numberlists = Numberlists
perm-outgoing_numberlists-help = Numberlists the operator lets this customer manage.
perm-incoming_cdrs = Incoming CDRs
perm-incoming_cdrs-help = Call detail records of incoming calls.
perm-incoming_statistics = Incoming statistics
perm-incoming_statistics-help = Traffic statistics of incoming calls.
perm-stat-active_calls = Active calls
perm-stat-active_calls-help = The current number of active calls.
perm-stat-acd = ACD
perm-stat-acd-help = Average call duration over successful calls.
perm-stat-asr = ASR
perm-stat-asr-help = Answer-seizure ratio.
perm-stat-failed_calls = Failed calls
perm-stat-failed_calls-help = Calls that did not connect.
perm-stat-successful_calls = Successful calls
perm-stat-successful_calls-help = Calls that connected.
perm-stat-total_calls = Total calls
perm-stat-total_calls-help = All calls.
perm-stat-total_duration = Total duration
perm-stat-total_duration-help = Sum of call durations.
perm-stat-total_price = Total price
perm-stat-total_price-help = Sum of call prices.
perm-stat-acd_value = ACD numbers
perm-stat-acd_value-help = Show the absolute ACD figures.
perm-stat-asr_value = ASR numbers
perm-stat-asr_value-help = Show the absolute ASR figures.
perm-stat-failed_calls_value = Failed calls numbers
perm-stat-failed_calls_value-help = Show the absolute failed-call figures.
perm-stat-successful_calls_value = Successful calls numbers
perm-stat-successful_calls_value-help = Show the absolute successful-call figures.
perm-stat-total_calls_value = Total calls numbers
perm-stat-total_calls_value-help = Show the absolute call counts.
perm-stat-total_duration_value = Total duration numbers
perm-stat-total_duration_value-help = Show the absolute durations.
perm-stat-total_price_value = Total price numbers
perm-stat-total_price_value-help = Show the absolute prices.
perm-invoices = Invoices
perm-invoices-help = Invoices with printable detail and PDF.
perm-payments = Payments
perm-payments-help = Payments received.
perm-payments_cryptomus = Crypto top-ups
perm-payments_cryptomus-help = Top up the balance with crypto currency through Cryptomus.
perm-services = Services
perm-services-help = Active services with prices and renewal dates.
perm-transactions = Transactions
perm-transactions-help = Ledger of balance changes.
perm-my_numbers = My numbers
perm-my_numbers-help = The customer's numbers with descriptions.
perm-my_numbers_edit_descriptions = Edit number descriptions
perm-my_numbers_edit_descriptions-help = Change the customer-entered description of a number.
perm-my_campaigns = My campaigns
perm-my_campaigns-help = Campaigns (numbers grouped for call tracking) with call counts.
perm-my_campaigns_manage = Manage campaigns
perm-my_campaigns_manage-help = Create campaigns and change which numbers they hold.
perm-daily_cdr_reports = Daily CDR reports
perm-daily_cdr_reports-help = One CSV of CDRs per day, downloadable.
perm-backend_descriptions = Backend descriptions
perm-backend_descriptions-help = Show descriptions entered in the operator's backend next to numbers.

## Admin: customers list

customers-title = Customers
customers-new = New customer
customers-name-placeholder = Part of the name
customers-tag = Tag
customers-group = Group
customers-own-profile = Own profile
customers-descendants-of = Showing the descendants of customer #{ $id }.
customers-show-all = Show all
customers-count = { $count ->
    [one] { $count } customer
   *[other] { $count } customers
}
customers-none-match = No customers match.
customers-create-first = Create the first one
customers-reference = Reference
customers-parent = Parent
customers-effective-profile = Effective profile
customers-source-own = own
customers-source-inherited = inherited
customers-source-default = default
customers-source-none = none
customers-pages = Pages
customers-previous = ← Previous
customers-page-of = Page { $page } of { $pages }
customers-next = Next →

## Admin: one customer

customer-title = Customer: { $name }
customer-new-title = New customer
customer-back = ← Customers
customer-preview = Preview portal
customer-sub-customers = Sub-customers
customer-history = History
customer-invitation = Send this invitation link to the user (valid for 7 days) so they can set their password:
customer-profile = Access profile
customer-effective = Effective:
customer-own-assignment = Own assignment
customer-profile-none = None (inherit from parent, else the default)
customer-profile-unavailable = (not available to this customer)
customer-assign = Assign
customer-effective-own = assigned to this customer
customer-effective-inherited = inherited from customer #{ $id }
customer-effective-default = the default profile
customer-effective-none = no profile: only the dashboard and profile pages
customer-effective-line = { $profile } ({ $how })
customer-effective-disabled = { $profile } ({ $how }) — disabled, grants nothing
customer-details = Details
customer-reference-id = Reference id (your own)
customer-parent = Parent customer
customer-parent-none = None (top level)
customer-staging = Staging customer
customer-country = Country (ISO 3166)
customer-appearance = Portal appearance
customer-override-app = Override the parent's settings (otherwise inherited)
customer-page-title = Page title
customer-theme = Theme
customer-theme-auto = auto
customer-theme-light = light
customer-theme-dark = dark
customer-logout-url = Logout URL
customer-custom-css = Custom CSS (served as its own stylesheet)
customer-string-mappings = Relabelled strings (JSON), for example:
customer-billing = Billing settings
customer-override-billing = Override the parent's billing settings
customer-billing-items = Items (JSON), for example:
customer-hours-data = Business hours and data
customer-schedule = Schedule (JSON: timeZoneId, defaultState, rules with frequency, byDay, startDate, startTime, endTime, state…)
customer-data = Data (JSON object)
customer-integration = Integration data (JSON), for example:
customer-save = Save customer
customer-create = Create customer
customer-accounts = Billing accounts
customer-no-accounts = No accounts yet.
customer-open-account = Open account
customer-account-placeholder = Main
customer-public-text = Public text
customer-public-value = Public value
customer-private-master = Private master
customer-private-read = Private read
customer-private-write = Private write
customer-add-code = Add access code
customer-users = Portal users
customer-no-users = No users yet.
customer-role-of = Role of { $email }
customer-set = Set
customer-reset-password = Reset password
customer-initial-password = Initial password
customer-password-placeholder = leave empty for an invitation link
customer-add-user = Add user
customer-delete-confirm = Delete this customer with its users, accounts and codes?
customer-delete = Delete customer
customer-delete-hint = Only possible without sub-customers.
customer-saved = The customer "{ $name }" has been saved.
customer-deleted = The customer "{ $name }" has been deleted.
customer-assigned = The access profile assignment has been saved.
customer-account-opened = The account has been opened.
customer-account-saved = The account has been saved.
customer-code-added = The access code has been added.
customer-code-deleted = The access code has been deleted.
customer-user-created = The user has been created with the given password.
customer-user-disabled = The user has been disabled and signed out everywhere.
customer-user-enabled = The user has been enabled.
customer-role-changed = The role has been changed.
msg-choose-parent = Choose a parent customer from the list.
msg-choose-theme = Choose light, dark or auto.
msg-string-mappings = Expected a JSON object of text labels, e.g. { "{" }"nav.invoices": "Bills"{ "}" }.
msg-choose-profile = Choose a profile from the list.
msg-choose-role = Choose administrator, developer or user.
msg-customer-name = Give the customer a name of 1 to 200 characters.
msg-reference-taken = Another customer has this reference id.
msg-country-code = Use a two-letter ISO 3166 country code such as DE.
msg-phone = Use digits, spaces, +, - and brackets (at most 32).
msg-url = Enter an http(s) URL or a path starting with /.
msg-custom-css-size = Custom CSS can be at most 64 KiB.
msg-mappings-count = At most 500 mappings.
msg-data-size = At most 64 KiB of data.
msg-parent-cycle = A customer cannot be placed below itself or its descendants.
msg-sub-customers = The customer has { $count } sub-customer(s); move or delete them first.
msg-account-name = Give the account a name of 1 to 200 characters.
msg-currency = Use a three-letter ISO 4217 code such as EUR.
msg-max-below-min = The maximum balance is below the minimum.
msg-capacity = Enter the number of concurrent calls (0 to 1000000).
msg-code-label = Give the code a label of 1 to 200 characters.
msg-email-needed = Enter an e-mail address.
msg-email-at = The e-mail address needs an @.
msg-email-spaces = The e-mail address cannot contain spaces.
msg-email-long = The e-mail address is longer than 254 characters.
msg-email-invalid = That does not look like an e-mail address.
msg-email-taken = A user with this e-mail address already exists.
msg-time-zone = Unknown time zone; use an IANA name such as Europe/Berlin.
msg-hours = Hours are 0-23.
msg-minutes = Minutes are 0-59.
msg-months = Months are 1-12.
msg-days = Days are 1-31 or -31..-1.
msg-offsets = Offsets are -53..53.
msg-rules = At most 100 rules.
msg-state-name = Give a state name of 1-50 characters.
msg-times = Give startTime and endTime as HH:MM, or set isAllDay.
msg-after-start-time = Must be after startTime.
msg-not-before-start-date = Must not be before startDate.
msg-count-or-until = Use either count or untilDate, not both.
msg-choose-role-of = Choose a role: { $roles }.
msg-integration-shape = Expected { "{" }"systemName": { "{" }"thirdPartyId": "…"{ "}" }{ "}" }.
msg-integration-system = Expected { "{" }"thirdPartyId": "…"{ "}" }.
msg-billing-items = Expected an object of billing items.

## Numbers, numberlists, campaigns (model checks)

msg-campaign-name = Give the campaign a name of 1 to 100 characters.
msg-campaign-taken = You already have a campaign with this name.
msg-own-numbers = Choose numbers from your own list.
msg-number-on-list = This number is already on the list.
msg-list-full = The list is full (10 000 entries).
msg-phone-prefix = Enter a phone number or prefix (digits, optionally with +).
msg-phone-number = Enter a phone number (digits, optionally with +).

# Numberlists a customer may manage (admin)
customer-numberlists-title = Numberlists
customer-numberlists-none = No numberlists yet. The operator's systems create them with POST /api/v1/numberlists.
customer-numberlists-help = Numberlists this customer may manage in its portal
customer-numberlists-save = Save numberlists
customer-numberlists-saved = The numberlists have been saved.

## Second factor, password reset, e-mail

login-forgot = Forgot your password?
login-2fa-title = Second factor
login-2fa-intro = Enter the 6-digit code from your authenticator app, or one of your recovery codes.
login-2fa-code = Code
login-2fa-submit = Continue
login-2fa-restart = Start again
login-2fa-wrong = That code is not right. Try the current code from your app, or a recovery code.
twofa-title = Second factor
twofa-required = Your operator requires staff to use a second factor. Set it up to continue.
twofa-recovery-title = Your recovery codes
twofa-recovery-intro = The second factor is on. Keep these codes somewhere safe: each one signs you in once if you lose your phone. They are shown only now.
twofa-done = I have saved them
twofa-on = The second factor is on
twofa-on-intro = Signing in asks for a code from your authenticator app after your password.
twofa-disable-intro = To turn it off, confirm with your current password or a code.
twofa-current-password = Current password
twofa-or-code = or a code (app or recovery code)
twofa-disable = Turn off the second factor
twofa-back = Back to my account
twofa-setup = Set up a second factor
twofa-step-scan = Scan the QR code with an authenticator app (or type in the key below).
twofa-step-confirm = Enter the 6-digit code the app shows to confirm.
twofa-qr-alt = QR code for your authenticator app
twofa-secret-label = Key for typing in:
twofa-code = Code from the app
twofa-confirm = Turn on
twofa-wrong-code = That code is not right. Enter the current code from your app.
twofa-not-confirmed = Not confirmed: give your current password or a current code.
twofa-disabled = The second factor is off.
reset-forgot-title = Reset your password
reset-forgot-intro = Enter the e-mail address of your account. If it belongs to an account, we send a link to choose a new password.
reset-sent = If the address belongs to an account, a link is on its way. It is valid for one hour.
reset-forgot-submit = Send the link
reset-back-to-login = Back to sign-in
reset-title = Choose a new password
reset-for = For { $email }. Every session of this account ends.
reset-submit = Set the new password
reset-done = Your password was changed and every session ended. Sign in with the new password.
mail-greeting = Hello { $name },
mail-footer = This message was sent by Portico. Please do not reply to it.
mail-invitation-subject = Your access to the customer portal
mail-invitation-body = An account was made for you on the customer portal. Choose your password with the link below; it is valid for 7 days.
mail-invitation-link = Choose your password
mail-reset-subject = Reset your password
mail-reset-body = Someone, hopefully you, asked to reset the password of your account. The link below is valid for one hour and works once. If it was not you, ignore this message: your password stays as it is.
mail-reset-link = Choose a new password
mail-2fa-reset-subject = Your second factor was reset
mail-2fa-reset-body = An administrator removed the second factor of your account and signed you out everywhere. Sign in with your password and set up a new one on your account page. If you did not ask for this, contact your administrator.
mail-2fa-reset-link = Sign in
mail-low-balance-subject = Low balance: { $account }
mail-low-balance-body = The balance of the account { $account } is { $balance } { $currency }, below its minimum of { $min } { $currency }. Top up to keep your services running.
mail-low-balance-link = See your accounts
account-2fa = Second factor
account-2fa-on = On: signing in asks for a code from your authenticator app.
account-2fa-off = Off: signing in needs only your password.
account-2fa-manage = Manage the second factor
admin-2fa = Second factor
admin-2fa-reset = Reset second factor
admin-2fa-reset-done = The second factor was removed; the person was signed out and told by e-mail.
