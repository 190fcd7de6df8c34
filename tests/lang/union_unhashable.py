# requires: 3.15
# Unions whose arguments are unhashable (Annotated with dict metadata): built, compared and
# deduplicated by equality; hashing one raises the argument's own error.
from typing import Annotated, Union, get_args

a = Annotated[int, {}] | str | int
print(get_args(a))
print(a == (str | Annotated[int, {}] | int), a == (str | int), a == Union[int, str, Annotated[int, {}]])
print(Annotated[int, {}] | Annotated[int, {}] | int == Annotated[int, {}] | int)
print(get_args(str | Annotated[int, {}] | Annotated[int, set()] | int))
try:
    hash(a)
except TypeError as e:
    print("TypeError", e)
print(hash(int | str) == hash(str | int))
print((int | str).__module__, type(int | str).__module__)
print("union_unhashable: ok")
