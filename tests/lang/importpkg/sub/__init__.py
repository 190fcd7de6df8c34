from ..helper import double as twice
LEVEL = "sub"
