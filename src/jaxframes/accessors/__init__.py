"""Series accessors, one module each: ``.str`` (strings), ``.dt`` (datetimes), ``.cat`` (categoricals)."""

from jaxframes.accessors.categorical import CategoricalAccessor as CategoricalAccessor
from jaxframes.accessors.datetime_parse import to_datetime as to_datetime
from jaxframes.accessors.datetimes import DatetimeProperties as DatetimeProperties
from jaxframes.accessors.datetimes import TimedeltaProperties as TimedeltaProperties
from jaxframes.accessors.datetimes import dt_accessor as dt_accessor
from jaxframes.accessors.lists import ListAccessor as ListAccessor
from jaxframes.accessors.lists import ListStringMethods as ListStringMethods
from jaxframes.accessors.strings import StringMethods as StringMethods

__all__ = ["CategoricalAccessor", "DatetimeProperties", "ListAccessor", "ListStringMethods", "StringMethods",
           "TimedeltaProperties", "dt_accessor", "to_datetime"]
