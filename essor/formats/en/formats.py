"""English, the French way for dates typed: day first, as Wagtail's date fields show them
(WAGTAIL_DATE_FORMAT), so that “02/04/2030” is 2 April in every language of the admin and
never 4 February. ISO dates are read too (Django adds them to every language)."""

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S.%f", "%d/%m/%Y %H:%M"]
