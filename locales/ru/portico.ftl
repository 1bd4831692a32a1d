# Portico — русский. Каждый идентификатор есть также в en и de.

## Оформление страницы

app-skip = Перейти к содержимому
app-leave-preview = Выйти из предпросмотра
app-area-admin = Администрирование
app-my-account = Моя учётная запись
app-profile = Профиль
app-sign-out = Выйти
app-sections = Разделы
app-footer = Portico · клиентский портал
app-preview-banner = Предпросмотр: { $customer } глазами пользователя с ролью «Пользователь». Только чтение.
app-previewing = предпросмотр: { $customer }

## Слова, встречающиеся на многих страницах

common-save = Сохранить
common-filter = Применить
common-filters = Фильтры
common-any = Все
common-delete = Удалить
common-cancel = Отмена
common-action = Действие
common-actions = Действия
common-name = Название
common-email = Эл. почта
common-email-address = Адрес электронной почты
common-role = Роль
common-status = Статус
common-first-name = Имя
common-last-name = Фамилия
common-description = Описание
common-label = Метка
common-currency = Валюта
common-balance = Баланс
common-capacity = Ёмкость
common-account = Лицевой счёт
common-amount = Сумма
common-date = Дата
common-period = Период
common-price = Стоимость
common-quantity = Количество
common-number = Номер
common-from = С
common-to = По
common-when = Когда
common-who = Кто
common-what = Что
common-object = Объект
common-loading = Загрузка…
common-older = Раньше →
common-none = нет
common-enable = Включить
common-disable = Заблокировать
common-you = вы
common-status-active = Активен
common-status-disabled = Заблокирован
common-status-invited = Приглашён
common-invitation-link = Ссылка-приглашение
common-create-one = Создать
common-no-groups = Групп пока нет.
common-no-tags = Меток пока нет.
common-groups = Группы
common-tags = Метки
common-customers = Клиенты
common-phone = Телефон
common-company-name = Название компании
common-public = Открытые
common-private-codes = Закрытые (мастер / чтение / запись)
common-access-codes = Коды доступа
common-postpaid = Постоплата
common-prepaid = Предоплата
common-min = Мин.
common-max = Макс.
common-and = и
common-yes = да
common-no = нет

## Роли и доступность

role-admin = Администратор (сотрудник)
role-manager = Менеджер (сотрудник)
role-administrator = Администратор
role-developer = Разработчик
role-user = Пользователь
availability-all = Все клиенты
availability-customer = Один клиент и его субклиенты
availability-groups = Клиенты из выбранных групп
availability-disabled = Отключён (ничего не даёт)

## Вход, приглашение

login-title = Вход
login-intro = Введите адрес электронной почты и пароль, полученные от вашего оператора.
login-password = Пароль
login-submit = Войти
login-failed = Войти не удалось. Проверьте адрес электронной почты и пароль или повторите попытку позже.
invitation-title = Задайте пароль
invitation-for = для { $email }
invitation-new-password = Новый пароль
invitation-help = От 12 до 128 символов.
invitation-repeat = Повторите пароль
invitation-submit = Задать пароль
msg-invitation-expired = Срок действия ссылки-приглашения истёк, или она уже использована. Запросите новую.
msg-invitation-used = Срок действия ссылки-приглашения истёк, или она уже использована.
invitation-done = Пароль задан. Теперь войдите в портал.

## Страницы ошибок

error-400 = Запрос не понят
error-401 = Пожалуйста, войдите
error-403 = Нет доступа
error-404 = Не найдено
error-409 = Конфликт
error-413 = Слишком большой объём
error-422 = Проверьте введённые данные
error-429 = Слишком много попыток
error-503 = Временно недоступно
error-500 = Что-то пошло не так
error-home = На главную
msg-internal = У нас что-то пошло не так. Ошибка записана в журнал.
msg-server = У нас что-то пошло не так.
msg-not-found = Запрошенная страница или запись не существует.
msg-sign-in = Пожалуйста, войдите.
msg-draw = Не удалось отобразить страницу.
msg-db-unavailable = База данных недоступна. Повторите попытку через минуту.
msg-db-busy = База данных занята или недоступна. Повторите попытку.
msg-no-portal-section = Этот раздел не входит в ваш портал.
msg-role-not-allowed = Ваша роль этого не позволяет.
msg-preview-read-only = В режиме предпросмотра ничего изменить нельзя.
msg-portal-for-customers = Портал предназначен для пользователей клиентов. Сотрудники работают в разделе администрирования (или в предпросмотре клиента).
msg-staff-area = Этот раздел доступен только сотрудникам оператора.
msg-admins-only = Это могут делать только администраторы.
msg-no-access = У вас нет доступа к этой странице.
msg-cannot-disable-self = Нельзя заблокировать самого себя.
msg-csrf = Срок действия формы истёк, или она отправлена не с этого сайта. Обновите страницу и попробуйте ещё раз.
msg-record-referenced = на запись всё ещё ссылаются другие записи

## Навигация портала (переименования клиента nav.* имеют приоритет)

nav-dashboard = Обзор
nav-account = Лицевые счета
nav-outgoing-cdrs = Исходящие CDR
nav-incoming-cdrs = Входящие CDR
nav-outgoing-statistics = Статистика исходящих
nav-incoming-statistics = Статистика входящих
nav-active-calls = Активные звонки
nav-rateplans = Тарифы
nav-numberlists = Списки номеров
nav-invoices = Счета на оплату
nav-payments = Платежи
nav-services = Услуги
nav-transactions = Операции
nav-my-numbers = Мои номера
nav-my-campaigns = Мои кампании
nav-daily-cdr-reports = Ежедневные отчёты CDR
nav-users = Пользователи
nav-profile = Профиль

## Навигация администрирования

admin-nav-dashboard = Обзор
admin-nav-customers = Клиенты
admin-nav-profiles = Профили доступа
admin-nav-groups = Группы клиентов
admin-nav-tags = Метки
admin-nav-staff = Сотрудники
admin-nav-audit = Журнал аудита
admin-nav-me = Моя учётная запись

## Обзор портала

dashboard-empty = Оператор ещё не открыл для вашей учётной записи ни одного раздела портала.
dashboard-empty-hint = При этом вы можете управлять разделом
dashboard-empty-link = профиль, пароль и сеансы
card-balance-of = баланс счёта { $account }
card-accounts = { $count ->
    [one] лицевой счёт
    [few] лицевых счёта
   *[many] лицевых счетов
}
card-no-account = лицевого счёта пока нет
card-outgoing-today = исходящие звонки за сегодня
card-incoming-today = входящие звонки за сегодня
card-calls-in-progress = идущие сейчас звонки
card-latest-invoice = последний счёт, { $status }
card-no-invoices = счетов пока нет
card-latest-payment = последний платёж
card-no-payments = платежей пока нет
card-active-services = активные услуги
card-numbers = { $count ->
    [one] номер
    [few] номера
   *[many] номеров
}
card-campaigns = { $count ->
    [one] кампания
    [few] кампании
   *[many] кампаний
}
card-numberlists = { $count ->
    [one] список номеров
    [few] списка номеров
   *[many] списков номеров
}
card-rateplans = { $count ->
    [one] тариф
    [few] тарифа
   *[many] тарифов
}
card-open = открыть

## Портал: лицевые счета

account-empty = Лицевой счёт для вас ещё не открыт.
account-min-balance = Минимальный баланс
account-max-balance = Максимальный баланс
account-type = Тип
account-balance-hint = Балансы видят только администраторы вашей компании.

## Портал: списки записей

list-payments-empty = Платежей пока нет.
list-method = Способ
list-reference = Основание
list-topup = Пополнить криптовалютой
list-transactions-empty = Операций пока нет.
list-kind = Вид
list-balance-after = Баланс после
list-services-empty = Услуг нет.
list-service = Услуга
list-since = С даты
list-renews = Продление
list-invoices-empty = Счетов пока нет.
list-invoice = Счёт
list-issued = Выставлен
list-due = Оплатить до
list-total = Итого
list-pdf = PDF
value-open = открыт
value-paid = оплачен
value-overdue = просрочен
value-void = аннулирован
value-active = активна
value-suspended = приостановлена
value-cancelled = отменена
value-monthly = ежемесячно
value-yearly = ежегодно
value-weekly = еженедельно
value-daily = ежедневно
value-one-time = разово
value-completed = проведён
value-pending = ожидает
value-failed = не прошёл
value-refunded = возвращён
value-usage = расход
value-payment = платёж
value-adjustment = корректировка
value-credit = зачисление
value-charge = списание

## Портал: счёт на оплату

invoice-back = ← Счета на оплату
invoice-title = Счёт { $number }
invoice-status = Статус
invoice-line-description = Наименование
invoice-unit-price = Цена за единицу
invoice-no-lines = Позиций нет.
invoice-net = Без налога
invoice-tax = Налог
invoice-total = Итого
invoice-download = Скачать PDF
invoice-print = Чтобы получить бумажную копию, воспользуйтесь печатью в браузере.

## Портал: тарифы

rates-none-assigned = Вашему счёту пока не назначен ни один тариф.
rates-check = Проверить номер
rates-number-to-call = Вызываемый номер
rates-check-submit = Узнать цену
rates-tabs = Тарифы
rates-count = { $count ->
    [one] { $count } направление
    [few] { $count } направления
   *[many] { $count } направлений
}
rates-prefix-starts = Префикс начинается с
rates-search = Найти
rates-prefix = Префикс
rates-destination = Направление
rates-rate-per-min = Цена за мин. ({ $currency })
rates-connect-fee = Плата за соединение
rates-billing-step = Шаг тарификации
rates-seconds = { $count } с
rates-none-match = Подходящих цен нет.
rates-more = Ещё цены →
rates-no-plan = Вам не назначен ни один тариф.
rates-result-prefix = префикс
rates-per-min = /мин.
rates-result-connect-fee = плата за соединение { $fee }
rates-billed-per = тарификация по { $seconds } с
rates-no-rate-for = нет цены для { $number }

## Портал: списки номеров

numberlists-empty = Оператор ещё не открыл вам доступ ни к одному списку номеров.
numberlist-kind = { $kind ->
    [blocklist] чёрный список
    [allowlist] белый список
   *[other] { $kind }
}
numberlist-note = Примечание
numberlist-remove = Убрать
numberlist-is-empty = Список пуст.
numberlist-number-placeholder = Номер или префикс
numberlist-number-label = Номер для добавления в список «{ $list }»
numberlist-note-placeholder = Примечание (необязательно)
numberlist-add = Добавить
numberlist-updated = Список номеров обновлён.

## Портал: номера и кампании

numbers-yours = Ваше описание
numbers-operators = Описание оператора
numbers-empty = Вам пока не выделено ни одного номера.
numbers-description-of = Описание номера { $number }
numbers-more = Ещё номера →
numbers-saved = Сохранено: { $description }
numbers-saved-flash = Описание номера { $number } сохранено.
campaigns-intro = Звонки на номера каждой кампании за последние 30 дней.
campaigns-campaign = Кампания
campaigns-numbers = Номера
campaigns-calls = Звонки
campaigns-answered = Отвечено
campaigns-empty = Кампаний пока нет.
campaigns-new = Новая кампания
campaigns-free-numbers = Номера (ещё не входящие в кампании)
campaigns-all-used = Все ваши номера уже входят в кампании.
campaigns-create = Создать кампанию
campaigns-created = Кампания «{ $name }» создана.

## Портал: ежедневные отчёты

daily-intro = Один CSV-файл со звонками за каждый день (оба направления, время в вашем часовом поясе) за последние 90 дней.
daily-day = День
daily-outgoing = Исходящие звонки
daily-incoming = Входящие звонки
daily-download = Скачать
daily-empty = Дней со звонками пока нет.

## Портал: CDR

cdrs-export = Выгрузить в CSV
cdrs-number-starts = Номер начинается с
cdrs-number-placeholder = напр. 4930
cdrs-result = Результат
cdrs-answered = Отвечен
cdrs-failed = Не состоялся
cdrs-min-seconds = Мин. секунд
cdrs-max-seconds = Макс. секунд
cdrs-times-hint = Время показано в вашем часовом поясе (его можно задать в профиле).
call-from = Вызывающий
call-to = Вызываемый
cdrs-start = Начало
cdrs-destination = Направление
cdrs-duration = Длительность
cdrs-rate = Цена/мин.
cdrs-recording = Запись
cdrs-none-match = Нет звонков, подходящих под эти фильтры.
cdrs-listen = Прослушать
cdrs-download = Скачать
cdrs-load-more = Показать ещё
msg-whole-seconds = целое число секунд ≥ 0
msg-yes-no-any = да, нет или все
msg-digits-only = только цифры (номер или его начало)
msg-bad-day = День нужно указать в виде ГГГГ-ММ-ДД.csv.
msg-not-a-date = «{ $value }» — это не дата (ГГГГ-ММ-ДД) и не время в формате RFC 3339

## Портал: статистика

stats-to-exclusive = По (не включая)
stats-per = Шаг
stats-day = день
stats-hour = час
stats-show = Показать
stats-none = Статистика по этому направлению не входит в ваш тариф.
stats-right-now = прямо сейчас
stats-in-period = { $unit } за период
stats-in-period-plain = за период
stats-unit-seconds = секунд
stats-trend-only = Только динамика: абсолютные значения не входят в ваш тариф.
stats-over-period = { $metric } за период
stats-no-traffic = За этот период трафика не было.
stats-table = Таблица
metric-active-calls = Активные звонки
metric-total-calls = Всего звонков
metric-successful-calls = Успешные звонки
metric-failed-calls = Неуспешные звонки
metric-asr = ASR
metric-acd = ACD
metric-total-duration = Общая длительность
metric-total-price = Общая стоимость
msg-sampling = шаг должен быть «час» или «день»
msg-to-after-from = «По» должно быть позже, чем «С»
msg-period-end = Конец периода должен быть позже его начала.
msg-too-many-hours = Слишком много часов: выберите период короче или шаг «день».
msg-period-too-long = Слишком длинный период.

## Портал: активные звонки

active-in-progress = { $count ->
    [one] звонок идёт
    [few] звонка идут
   *[many] звонков идёт
}
active-truncated = (показаны самые новые)
active-refresh = Обновляется каждые 5 секунд.
active-started = Начало
active-direction = Направление звонка
active-elapsed = Длится
active-none = Сейчас звонков нет.
direction-outgoing = Исходящий
direction-incoming = Входящий

## Портал: пополнение криптовалютой

topup-title = Пополнить криптовалютой
topup-back = ← Платежи
topup-unavailable = Пополнение криптовалютой сейчас недоступно. Обратитесь к вашему оператору.
topup-intro = Вы перейдёте на сайт Cryptomus и оплатите в удобной вам криптовалюте. Баланс пополнится, как только платёж будет подтверждён.
topup-continue = Перейти к оплате
topup-handoff = Пополнение на { $amount } готово. Сейчас вы перейдёте в Cryptomus для оплаты.
topup-yours = Ваши пополнения
topup-started = Начато
topup-none = Пополнений пока нет.
topup-pay-now = Оплатить
topup-amount-invalid = Введите сумму числом, например 50.00 ({ $reason }).
topup-status-created = Создаётся
topup-status-pending = Ожидает оплаты
topup-status-paid = Оплачено
topup-status-wrong-amount = Оплачена неверная сумма
topup-status-cancelled = Отменено
topup-status-failed = Не удалось
topup-status-refunded = Возвращено
topup-status-on-hold = Приостановлено
topup-status-unknown = Неизвестно
msg-topup-off = Пополнение криптовалютой недоступно: платёжный сервис не настроен.
msg-no-account-to-top-up = У вас нет лицевого счёта, который можно пополнить.
msg-choose-own-account = Выберите один из ваших лицевых счетов.
msg-amount-range = Введите сумму от { $min } до { $max }.
msg-provider-unreachable = Платёжный сервис сейчас недоступен. Повторите попытку позже.
msg-provider-refused = Платёжный сервис не принял пополнение. Повторите попытку позже.
msg-enter-amount = введите сумму
msg-not-decimal = «{ $value }» — не десятичное число
msg-too-many-decimals = в «{ $value }» больше шести знаков после запятой
msg-too-large = «{ $value }» — слишком большое число

## Портал: пользователи клиента

users-intro = Сотрудники вашей компании, которые могут входить в этот портал.
users-created-link = Пользователь создан. Отправьте ему эту ссылку-приглашение (действует 7 дней), чтобы он задал пароль:
users-invite = Пригласить пользователя
users-create = Создать и получить ссылку-приглашение
users-disabled-flash = Пользователь заблокирован, его сеансы завершены.
users-enabled-flash = Пользователь снова активен.

## Профиль и «Моя учётная запись»

account-signed-in-as = Вы вошли как
account-company = Профиль компании
account-access-profile = профиль доступа
account-country-iso = Страна (код ISO)
account-save-company = Сохранить профиль компании
account-company-admins-only = Изменять эти данные могут только администраторы вашей компании.
account-no-codes = Кодов доступа нет.
account-preview-note = Личные настройки, сеансы и токены принадлежат каждому пользователю и в предпросмотр не входят.
account-personal = Личные данные
account-language-tz = Язык и часовой пояс
account-language = Язык
account-language-browser = Как в браузере
account-time-zone = Часовой пояс
account-save-settings = Сохранить настройки
account-password = Смена пароля
account-current-password = Текущий пароль
account-new-password = Новый пароль
account-password-help = От 12 до 128 символов. После смены пароля остальные ваши сеансы будут завершены.
account-repeat-password = Повторите новый пароль
account-change-password = Сменить пароль
account-sessions = Активные сеансы
account-device = Устройство
account-address = Адрес
account-signed-in = Вход выполнен
account-last-active = Последняя активность
account-this-device = это устройство
account-end = Завершить
account-unknown-device = Неизвестное устройство
account-tokens = API-токены
account-tokens-intro-before = С токенами скрипты могут обращаться к
account-tokens-intro-after = от вашего имени:
account-new-token = Ваш новый токен. Скопируйте его сейчас: он показывается только один раз.
account-new-token-label = Новый API-токен
account-no-tokens = Токенов пока нет.
account-token = Токен
account-created = Создан
account-last-used = Последнее использование
account-never = никогда
account-revoke = Отозвать
account-token-name = Название нового токена
account-token-placeholder = напр. синхронизация с бухгалтерией
account-create-token = Создать токен
flash-personal-saved = Ваши данные сохранены.
flash-settings-saved = Настройки сохранены.
flash-password-changed = Пароль изменён. Остальные сеансы завершены.
flash-company-saved = Профиль компании сохранён.
flash-token-revoked = Токен отозван.
flash-session-ended = Сеанс завершён.
msg-choose-language = Выберите один из предложенных языков.
msg-choose-time-zone = Выберите часовой пояс из списка (например, Europe/Moscow).
msg-passwords-differ-new = Новые пароли не совпадают.
msg-passwords-differ = Пароли не совпадают.
msg-current-password-wrong = Текущий пароль указан неверно.
msg-password-min = Пароль должен содержать не менее { $min } символов.
msg-password-max = Пароль может содержать не более { $max } символов.
msg-token-name = Дайте токену название длиной от 1 до 100 символов.

## Проверки, общие для многих форм

msg-required = Обязательное поле.
msg-min-chars = Введите не менее { $min } символов.
msg-max-chars = Введите не более { $max } символов.
msg-control-chars = Управляющие символы не допускаются.
msg-form-unreadable = Не удалось прочитать форму: { $reason }
msg-at-most-100 = Не более 100 символов.
msg-at-most-200 = Не более 200 символов.
msg-at-most-500 = Не более 500 символов.
msg-1-to-200 = от 1 до 200 символов
msg-at-most-n-chars = не более { $max } символов
msg-not-negative = Значение не может быть отрицательным.
msg-whole-number = Введите целое число ≥ 0.
msg-between-1-1000 = От 1 до 1000.
msg-expected-object = Ожидается объект.
msg-expected-json-object = Ожидается объект JSON.
msg-not-json = Некорректный JSON: { $reason }
msg-already-exists = уже существует ({ $detail })

## Администрирование: обзор

admin-title = Администрирование
admin-cryptomus-off = Пополнение криптовалютой выключено: клиенты с правом
admin-cryptomus-off-after = его не видят.
admin-cryptomus-how = Чтобы включить его, задайте
admin-card-customers = { $count ->
    [one] клиент
    [few] клиента
   *[many] клиентов
}
admin-card-profiles = { $count ->
    [one] профиль доступа
    [few] профиля доступа
   *[many] профилей доступа
}
admin-card-users = { $count ->
    [one] пользователь портала
    [few] пользователя портала
   *[many] пользователей портала
}
admin-card-unassigned = клиенты без собственного профиля
admin-recent = Последние действия
admin-nothing-yet = Пока ничего не происходило.
admin-full-audit = Весь журнал аудита →

## Администрирование: журнал аудита

audit-title = Журнал аудита
audit-email-placeholder = эл. почта
audit-action = Действие
audit-object-type = Тип объекта
audit-object-id = ID объекта
audit-none = Подходящих записей нет.
audit-change = Изменение
audit-diff = различия
audit-from = Откуда (IP)
audit-older = Более ранние записи →
audit-kind-staff = сотрудник
audit-kind-customer = клиент
audit-kind-system = система
audit-kind-anonymous = аноним

## Администрирование: группы и метки

groups-title = Группы клиентов
groups-intro = Группы определяют, каким клиентам можно назначить профиль с доступностью «Клиенты из выбранных групп».
groups-empty = Групп пока нет.
groups-name-of = Название группы { $group }
groups-rename = Переименовать
groups-new = Новая группа
groups-create = Создать группу
groups-created = Группа «{ $name }» создана.
groups-renamed = Группа переименована.
groups-deleted = Группа «{ $name }» удалена.
tags-title = Метки
tags-tag = Метка
tags-edit = Изменить
tags-colour = Цвет
tags-new = Новая метка
tags-create = Создать метку
tags-created = Метка «{ $name }» создана.
tags-saved = Метка сохранена.
tags-deleted = Метка «{ $name }» удалена.
color-Magenta = Пурпурный
color-Red = Красный
color-Volcano = Вулканический
color-Orange = Оранжевый
color-Gold = Золотой
color-Lime = Лаймовый
color-Green = Зелёный
color-Cyan = Бирюзовый
color-Blue = Синий
color-GeekBlue = Тёмно-синий
color-Purple = Фиолетовый
msg-group-name = Дайте группе название длиной от 1 до 100 символов.
msg-tag-name = Дайте метке название длиной от 1 до 100 символов.
msg-tag-color = Выберите один из цветов: { $colors }.
msg-group-name-taken = Группа с таким названием уже есть.
msg-tag-name-taken = Метка с таким названием уже есть.
msg-group-in-use = { $count ->
    [one] Для этой группы доступен { $count } профиль доступа; сначала измените его.
    [few] Для этой группы доступны { $count } профиля доступа; сначала измените их.
   *[many] Для этой группы доступны { $count } профилей доступа; сначала измените их.
}

## Администрирование: сотрудники

staff-title = Сотрудники
staff-invitation = Отправьте эту ссылку-приглашение (действует 7 дней):
staff-add = Добавить сотрудника
staff-initial-password = Начальный пароль
staff-password-placeholder = пусто — ссылка-приглашение
staff-add-submit = Добавить
staff-disabled = Сотрудник заблокирован, его сеансы завершены.
staff-enabled = Сотрудник снова активен.

## Администрирование: профили доступа

profiles-title = Профили доступа
profiles-new = Новый профиль
profiles-intro = Профиль — это набор из { $count } прав доступа к порталу. Клиент получает назначенный ему профиль, иначе профиль ближайшего вышестоящего клиента, иначе профиль по умолчанию.
profiles-empty = Профилей доступа пока нет.
profiles-create-first = Создать первый
profiles-availability = Доступность
profiles-permissions = Права
profiles-version = Версия
profiles-updated = Изменён
profiles-default = по умолчанию
profiles-clone = Копировать
profile-new-title = Новый профиль доступа
profile-clone-title = Копирование профиля доступа
profile-edit-title = Профиль доступа: { $name }
profile-copy-of = Копия { $name }
profile-back = ← Профили доступа
profile-held-by = { $count ->
    [one] Напрямую назначен { $count } клиенту.
   *[other] Напрямую назначен { $count } клиентам.
}
profile-clone-link = Копировать этот профиль
profile-read-only = Вы можете просматривать этот профиль. Изменять профили доступа могут только администраторы.
profile-conflict-title = Кто-то другой сохранил этот профиль раньше вас
profile-conflict-intro = Теперь у него версия { $version }. Ничего не перезаписано. Эти поля в сохранённой версии отличаются от отправленных вами:
profile-conflict-field = Поле
profile-conflict-saved = Сохранено сейчас
profile-conflict-yours = Ваше значение
profile-conflict-outro = Ваши значения остались в форме ниже. Сохраните ещё раз, чтобы заменить сохранённую версию своей, или загрузите сохранённую версию заново:
profile-conflict-reload = загрузить сохранённую версию
profile-conflict-has = содержит { $keys }
profile-conflict-adds = добавляет { $keys }
profile-legend = Профиль
profile-availability-help = Каким клиентам можно назначать профиль. Отключённые профили ничего не дают.
profile-customer-for = Клиент (для доступности «Один клиент»)
profile-groups-for = Группы клиентов (для доступности «Клиенты из выбранных групп»)
profile-default-label = Профиль по умолчанию (для клиентов без собственного или унаследованного назначения)
profile-permissions = Права
profile-save = Сохранить профиль
profile-create = Создать профиль
profile-delete-confirm = Удалить этот профиль доступа?
profile-delete = Удалить профиль
profile-delete-hint = Возможно, только пока профиль не назначен ни одному клиенту.
profile-live-saving = Изменения флажков сохраняются сразу (версия { $version }).
profile-saving = Сохранение…
profile-select-all = Выбрать все
profile-select-none = Снять все
profile-created = Профиль «{ $name }» создан.
profile-saved = Сохранено. Теперь у профиля версия { $version }.
profile-deleted = Профиль «{ $name }» удалён.
profile-toggle-conflict = Кто-то другой за это время изменил профиль (теперь версия { $version }). Ниже показано сохранённое состояние; ваше изменение не применено.
profile-field-name = Название
profile-field-description = Описание
profile-field-availability = Доступность
profile-field-customer = Клиент
profile-field-groups = Группы клиентов
profile-field-default = По умолчанию
profile-field-permissions = Права
msg-profile-name = Дайте профилю название.
msg-profile-name-long = Название может содержать не более 200 символов.
msg-profile-description-long = Описание может содержать не более 2000 символов.
msg-profile-availability = Выберите доступность: все, один клиент, группы, отключён.
msg-profile-customer-needed = Выберите клиента, для которого предназначен этот профиль.
msg-profile-customer-id = Введите ID клиента (положительное число).
msg-profile-groups-needed = Выберите хотя бы одну группу клиентов.
msg-profile-name-taken = Профиль с таким названием уже есть.
msg-profile-assigned = { $count ->
    [one] Профиль назначен { $count } клиенту; сначала назначьте ему другой профиль.
   *[other] Профиль назначен { $count } клиентам; сначала назначьте им другой профиль.
}
msg-profile-outside = { $count ->
    [one] { $count } клиент с этим профилем окажется вне этой доступности.
    [few] { $count } клиента с этим профилем окажутся вне этой доступности.
   *[many] { $count } клиентов с этим профилем окажутся вне этой доступности.
}
msg-unknown-keys = Неизвестные ключи прав: { $keys }.
msg-unknown-key = Неизвестный ключ права: { $key }.
msg-no-customer = Клиента { $id } не существует.
msg-no-group-named = Группы клиентов «{ $name }» не существует.
msg-no-profile = Профиля доступа { $id } не существует.
msg-no-tag = Метки { $id } не существует.
msg-customer-only-when = Клиент указывается только при доступности «Один клиент».
msg-groups-only-when = Группы указываются только при доступности «Клиенты из выбранных групп».

## Каталог прав (как его показывает форма профиля)

group-general = Общее
group-outgoing_traffic = Исходящий трафик
group-outgoing_statistics_metrics = Статистика исходящих: показатели
group-outgoing_statistics_values = Статистика исходящих: значения
group-incoming_traffic = Входящий трафик
group-incoming_statistics_metrics = Статистика входящих: показатели
group-incoming_statistics_values = Статистика входящих: значения
group-billing = Биллинг
group-numbers_and_campaigns = Номера и кампании
group-call_reports = Отчёты о звонках

perm-account = Лицевые счета
perm-account-help = Лицевые счета: баланс (только для администраторов), лимиты, валюта и ёмкость.
perm-listen_recording = Прослушивание записей разговоров
perm-listen_recording-help = Воспроизведение и скачивание записей для CDR, направление которых тоже разрешено.
perm-outgoing_rateplans = Тарифы
perm-outgoing_rateplans-help = Назначенные тарифы, поиск цен и проверка номера.
perm-outgoing_cdrs = Исходящие CDR
perm-outgoing_cdrs-help = Детальные записи (CDR) исходящих звонков.
perm-outgoing_cdr_exports = Выгрузка CDR
perm-outgoing_cdr_exports-help = Скачивание исходящих CDR в формате CSV.
perm-outgoing_statistics = Статистика исходящих
perm-outgoing_statistics-help = Статистика трафика исходящих звонков.
perm-outgoing_active_calls = Активные звонки
perm-outgoing_active_calls-help = Звонки, идущие прямо сейчас.
perm-outgoing_numberlists = Списки номеров
perm-outgoing_numberlists-help = Списки номеров, которые оператор разрешает вести этому клиенту.
perm-incoming_cdrs = Входящие CDR
perm-incoming_cdrs-help = Детальные записи (CDR) входящих звонков.
perm-incoming_statistics = Статистика входящих
perm-incoming_statistics-help = Статистика трафика входящих звонков.
perm-stat-active_calls = Активные звонки
perm-stat-active_calls-help = Текущее число активных звонков.
perm-stat-acd = ACD
perm-stat-acd-help = Средняя длительность успешных звонков.
perm-stat-asr = ASR
perm-stat-asr-help = Доля отвеченных вызовов среди всех попыток.
perm-stat-failed_calls = Неуспешные звонки
perm-stat-failed_calls-help = Звонки, которые не состоялись.
perm-stat-successful_calls = Успешные звонки
perm-stat-successful_calls-help = Звонки, которые состоялись.
perm-stat-total_calls = Всего звонков
perm-stat-total_calls-help = Все звонки.
perm-stat-total_duration = Общая длительность
perm-stat-total_duration-help = Сумма длительностей звонков.
perm-stat-total_price = Общая стоимость
perm-stat-total_price-help = Сумма стоимости звонков.
perm-stat-acd_value = Значения ACD
perm-stat-acd_value-help = Показывать абсолютные значения ACD.
perm-stat-asr_value = Значения ASR
perm-stat-asr_value-help = Показывать абсолютные значения ASR.
perm-stat-failed_calls_value = Число неуспешных звонков
perm-stat-failed_calls_value-help = Показывать абсолютное число неуспешных звонков.
perm-stat-successful_calls_value = Число успешных звонков
perm-stat-successful_calls_value-help = Показывать абсолютное число успешных звонков.
perm-stat-total_calls_value = Общее число звонков
perm-stat-total_calls_value-help = Показывать абсолютное число звонков.
perm-stat-total_duration_value = Значения общей длительности
perm-stat-total_duration_value-help = Показывать абсолютную длительность.
perm-stat-total_price_value = Значения общей стоимости
perm-stat-total_price_value-help = Показывать абсолютную стоимость.
perm-invoices = Счета на оплату
perm-invoices-help = Счета на оплату с версией для печати и PDF.
perm-payments = Платежи
perm-payments-help = Поступившие платежи.
perm-payments_cryptomus = Пополнение криптовалютой
perm-payments_cryptomus-help = Пополнение баланса криптовалютой через Cryptomus.
perm-services = Услуги
perm-services-help = Активные услуги с ценами и датами продления.
perm-transactions = Операции
perm-transactions-help = Журнал изменений баланса.
perm-my_numbers = Мои номера
perm-my_numbers-help = Номера клиента с описаниями.
perm-my_numbers_edit_descriptions = Изменение описаний номеров
perm-my_numbers_edit_descriptions-help = Изменять описание номера, заданное клиентом.
perm-my_campaigns = Мои кампании
perm-my_campaigns-help = Кампании (номера, сгруппированные для учёта звонков) с числом звонков.
perm-my_campaigns_manage = Управление кампаниями
perm-my_campaigns_manage-help = Создавать кампании и менять набор входящих в них номеров.
perm-daily_cdr_reports = Ежедневные отчёты CDR
perm-daily_cdr_reports-help = Один CSV-файл с CDR за каждый день, доступный для скачивания.
perm-backend_descriptions = Описания оператора
perm-backend_descriptions-help = Показывать рядом с номерами описания, заведённые в системе оператора.

## Администрирование: список клиентов

customers-title = Клиенты
customers-new = Новый клиент
customers-name-placeholder = Часть названия
customers-tag = Метка
customers-group = Группа
customers-own-profile = Собственный профиль
customers-descendants-of = Показаны субклиенты клиента #{ $id }.
customers-show-all = Показать всех
customers-count = { $count ->
    [one] { $count } клиент
    [few] { $count } клиента
   *[many] { $count } клиентов
}
customers-none-match = Подходящих клиентов нет.
customers-create-first = Создать первого
customers-reference = Внешний ID
customers-parent = Вышестоящий
customers-effective-profile = Действующий профиль
customers-source-own = собственный
customers-source-inherited = унаследован
customers-source-default = по умолчанию
customers-source-none = нет
customers-pages = Страницы
customers-previous = ← Назад
customers-page-of = Страница { $page } из { $pages }
customers-next = Далее →

## Администрирование: карточка клиента

customer-title = Клиент: { $name }
customer-new-title = Новый клиент
customer-back = ← Клиенты
customer-preview = Предпросмотр портала
customer-sub-customers = Субклиенты
customer-history = История
customer-invitation = Отправьте пользователю эту ссылку-приглашение (действует 7 дней), чтобы он задал пароль:
customer-profile = Профиль доступа
customer-effective = Действует:
customer-own-assignment = Собственное назначение
customer-profile-none = Нет (наследовать от вышестоящего, иначе по умолчанию)
customer-profile-unavailable = (недоступен этому клиенту)
customer-assign = Назначить
customer-effective-own = назначен этому клиенту
customer-effective-inherited = унаследован от клиента #{ $id }
customer-effective-default = профиль по умолчанию
customer-effective-none = профиля нет: доступны только обзор и страница профиля
customer-effective-line = { $profile } ({ $how })
customer-effective-disabled = { $profile } ({ $how }) — отключён, ничего не даёт
customer-details = Основные данные
customer-reference-id = Внешний ID (ваш собственный)
customer-parent = Вышестоящий клиент
customer-parent-none = Нет (верхний уровень)
customer-staging = Тестовый клиент
customer-country = Страна (ISO 3166)
customer-appearance = Оформление портала
customer-override-app = Заменить настройки вышестоящего клиента (иначе они наследуются)
customer-page-title = Заголовок страницы
customer-theme = Тема
customer-theme-auto = автоматически
customer-theme-light = светлая
customer-theme-dark = тёмная
customer-logout-url = Адрес после выхода
customer-custom-css = Собственный CSS (отдаётся отдельной таблицей стилей)
customer-string-mappings = Переименованные надписи (JSON), например:
customer-billing = Настройки биллинга
customer-override-billing = Заменить настройки биллинга вышестоящего клиента
customer-billing-items = Позиции (JSON), например:
customer-hours-data = Часы работы и данные
customer-schedule = Расписание (JSON: timeZoneId, defaultState, rules с frequency, byDay, startDate, startTime, endTime, state…)
customer-data = Данные (объект JSON)
customer-integration = Данные интеграций (JSON), например:
customer-save = Сохранить клиента
customer-create = Создать клиента
customer-accounts = Лицевые счета
customer-no-accounts = Лицевых счетов пока нет.
customer-open-account = Открыть счёт
customer-account-placeholder = Основной
customer-public-text = Открытый текст
customer-public-value = Открытое значение
customer-private-master = Закрытый: мастер
customer-private-read = Закрытый: чтение
customer-private-write = Закрытый: запись
customer-add-code = Добавить код доступа
customer-users = Пользователи портала
customer-no-users = Пользователей пока нет.
customer-role-of = Роль пользователя { $email }
customer-set = Задать
customer-reset-password = Сбросить пароль
customer-initial-password = Начальный пароль
customer-password-placeholder = оставьте пустым для ссылки-приглашения
customer-add-user = Добавить пользователя
customer-delete-confirm = Удалить этого клиента вместе с его пользователями, счетами и кодами?
customer-delete = Удалить клиента
customer-delete-hint = Возможно, только если у клиента нет субклиентов.
customer-saved = Клиент «{ $name }» сохранён.
customer-deleted = Клиент «{ $name }» удалён.
customer-assigned = Назначение профиля доступа сохранено.
customer-account-opened = Лицевой счёт открыт.
customer-account-saved = Лицевой счёт сохранён.
customer-code-added = Код доступа добавлен.
customer-code-deleted = Код доступа удалён.
customer-user-created = Пользователь создан с указанным паролем.
customer-user-disabled = Пользователь заблокирован, все его сеансы завершены.
customer-user-enabled = Пользователь снова активен.
customer-role-changed = Роль изменена.
msg-choose-parent = Выберите вышестоящего клиента из списка.
msg-choose-theme = Выберите светлую, тёмную или автоматическую тему.
msg-string-mappings = Ожидается объект JSON с надписями, например { "{" }"nav.invoices": "Квитанции"{ "}" }.
msg-choose-profile = Выберите профиль из списка.
msg-choose-role = Выберите роль: администратор, разработчик или пользователь.
msg-customer-name = Дайте клиенту название длиной от 1 до 200 символов.
msg-reference-taken = Такой внешний ID уже есть у другого клиента.
msg-country-code = Укажите двухбуквенный код страны по ISO 3166, например RU.
msg-phone = Используйте цифры, пробелы, +, - и скобки (не более 32 символов).
msg-url = Введите адрес http(s) или путь, начинающийся с /.
msg-custom-css-size = Собственный CSS может занимать не более 64 КиБ.
msg-mappings-count = Не более 500 переименований.
msg-data-size = Не более 64 КиБ данных.
msg-parent-cycle = Клиента нельзя подчинить самому себе или одному из его субклиентов.
msg-sub-customers = { $count ->
    [one] У клиента { $count } субклиент; сначала перенесите или удалите его.
    [few] У клиента { $count } субклиента; сначала перенесите или удалите их.
   *[many] У клиента { $count } субклиентов; сначала перенесите или удалите их.
}
msg-account-name = Дайте лицевому счёту название длиной от 1 до 200 символов.
msg-currency = Укажите трёхбуквенный код валюты по ISO 4217, например RUB.
msg-max-below-min = Максимальный баланс меньше минимального.
msg-capacity = Введите число одновременных звонков (от 0 до 1000000).
msg-code-label = Дайте коду метку длиной от 1 до 200 символов.
msg-email-needed = Введите адрес электронной почты.
msg-email-at = В адресе электронной почты должен быть символ @.
msg-email-spaces = Адрес электронной почты не может содержать пробелы.
msg-email-long = Адрес электронной почты длиннее 254 символов.
msg-email-invalid = Это не похоже на адрес электронной почты.
msg-email-taken = Пользователь с таким адресом электронной почты уже есть.
msg-time-zone = Неизвестный часовой пояс; используйте название IANA, например Europe/Moscow.
msg-hours = Часы — от 0 до 23.
msg-minutes = Минуты — от 0 до 59.
msg-months = Месяцы — от 1 до 12.
msg-days = Дни — от 1 до 31 или от -31 до -1.
msg-offsets = Смещения — от -53 до 53.
msg-rules = Не более 100 правил.
msg-state-name = Укажите название состояния длиной от 1 до 50 символов.
msg-times = Укажите startTime и endTime в формате ЧЧ:ММ или задайте isAllDay.
msg-after-start-time = Должно быть позже startTime.
msg-not-before-start-date = Не может быть раньше startDate.
msg-count-or-until = Укажите либо count, либо untilDate, но не оба.
msg-choose-role-of = Выберите роль: { $roles }.
msg-integration-shape = Ожидается { "{" }"systemName": { "{" }"thirdPartyId": "…"{ "}" }{ "}" }.
msg-integration-system = Ожидается { "{" }"thirdPartyId": "…"{ "}" }.
msg-billing-items = Ожидается объект с позициями биллинга.

## Номера, списки номеров, кампании (проверки)

msg-campaign-name = Дайте кампании название длиной от 1 до 100 символов.
msg-campaign-taken = У вас уже есть кампания с таким названием.
msg-own-numbers = Выбирайте номера только из своего списка.
msg-number-on-list = Этот номер уже есть в списке.
msg-list-full = Список заполнен (10 000 записей).
msg-phone-prefix = Введите номер телефона или префикс (цифры, можно с +).
msg-phone-number = Введите номер телефона (цифры, можно с +).

# Numberlists a customer may manage (admin)
customer-numberlists-title = Списки номеров
customer-numberlists-none = Списков номеров пока нет. Системы оператора создают их через POST /api/v1/numberlists.
customer-numberlists-help = Списки номеров, которыми клиент может управлять в портале
customer-numberlists-save = Сохранить списки номеров
customer-numberlists-saved = Списки номеров сохранены.

## Второй фактор, сброс пароля, почта

login-forgot = Забыли пароль?
login-2fa-title = Второй фактор
login-2fa-intro = Введите шестизначный код из приложения-аутентификатора или один из резервных кодов.
login-2fa-code = Код
login-2fa-submit = Продолжить
login-2fa-restart = Начать заново
login-2fa-wrong = Код неверен. Введите текущий код из приложения или резервный код.
twofa-title = Второй фактор
twofa-required = Оператор требует от сотрудников второй фактор. Настройте его, чтобы продолжить.
twofa-recovery-title = Ваши резервные коды
twofa-recovery-intro = Второй фактор включён. Сохраните эти коды в надёжном месте: каждый позволяет войти один раз, если вы потеряете телефон. Они показываются только сейчас.
twofa-done = Я их сохранил
twofa-on = Второй фактор включён
twofa-on-intro = При входе после пароля запрашивается код из приложения-аутентификатора.
twofa-disable-intro = Чтобы выключить его, подтвердите текущим паролем или кодом.
twofa-current-password = Текущий пароль
twofa-or-code = или код (из приложения или резервный)
twofa-disable = Выключить второй фактор
twofa-back = Назад к учётной записи
twofa-setup = Настроить второй фактор
twofa-step-scan = Отсканируйте QR-код приложением-аутентификатором (или введите ключ ниже).
twofa-step-confirm = Для подтверждения введите шестизначный код из приложения.
twofa-qr-alt = QR-код для приложения-аутентификатора
twofa-secret-label = Ключ для ручного ввода:
twofa-code = Код из приложения
twofa-confirm = Включить
twofa-wrong-code = Код неверен. Введите текущий код из приложения.
twofa-not-confirmed = Не подтверждено: укажите текущий пароль или текущий код.
twofa-disabled = Второй фактор выключен.
reset-forgot-title = Сброс пароля
reset-forgot-intro = Введите адрес электронной почты вашей учётной записи. Если он принадлежит учётной записи, мы отправим ссылку для выбора нового пароля.
reset-sent = Если адрес принадлежит учётной записи, ссылка уже отправлена. Она действует один час.
reset-forgot-submit = Отправить ссылку
reset-back-to-login = Назад ко входу
reset-title = Новый пароль
reset-for = Для { $email }. Все сеансы этой учётной записи будут завершены.
reset-submit = Установить новый пароль
reset-done = Пароль изменён, все сеансы завершены. Войдите с новым паролем.
mail-greeting = Здравствуйте, { $name }!
mail-footer = Это сообщение отправлено системой Portico. Пожалуйста, не отвечайте на него.
mail-invitation-subject = Ваш доступ к клиентскому порталу
mail-invitation-body = Для вас создана учётная запись на клиентском портале. Выберите пароль по ссылке ниже; она действует 7 дней.
mail-invitation-link = Выбрать пароль
mail-reset-subject = Сброс пароля
mail-reset-body = Кто-то, надеемся вы, запросил сброс пароля вашей учётной записи. Ссылка ниже действует один час и срабатывает один раз. Если это были не вы, просто проигнорируйте сообщение: пароль останется прежним.
mail-reset-link = Выбрать новый пароль
mail-2fa-reset-subject = Ваш второй фактор сброшен
mail-2fa-reset-body = Администратор удалил второй фактор вашей учётной записи и завершил все ваши сеансы. Войдите с паролем и настройте новый второй фактор на странице учётной записи. Если вы этого не просили, обратитесь к администратору.
mail-2fa-reset-link = Войти
mail-low-balance-subject = Низкий баланс: { $account }
mail-low-balance-body = Баланс счёта { $account } составляет { $balance } { $currency } — ниже минимума { $min } { $currency }. Пополните счёт, чтобы услуги продолжали работать.
mail-low-balance-link = Открыть счета
account-2fa = Второй фактор
account-2fa-on = Включён: при входе запрашивается код из приложения-аутентификатора.
account-2fa-off = Выключен: для входа нужен только пароль.
account-2fa-manage = Управлять вторым фактором
admin-2fa = Второй фактор
admin-2fa-reset = Сбросить второй фактор
admin-2fa-reset-done = Второй фактор удалён; сеансы пользователя завершены, он уведомлён по почте.
