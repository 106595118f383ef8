# Ukrainian newsroom style: the month in the genitive ("E") and no year abbreviation after
# the year: "5 грудня 2026, 10:14"; cards "05.12.2026, 10:14".
DATE_FORMAT = "j E Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E Y, H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"
