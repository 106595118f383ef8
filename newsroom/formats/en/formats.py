# British newsroom style, 24-hour clock: "5 December 2026, 10:14"; cards "5 Dec 2026, 10:14".
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
