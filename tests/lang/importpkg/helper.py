def double(x):
    return x * 2

__all__ = ["double"]
