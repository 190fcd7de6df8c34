"""Fannkuch-redux: flip prefixes of every permutation of 1..n.

For each permutation (generated in the classic counting order), reverse the
first k elements where k is the first element, until 1 is first.  Reports
the maximum number of flips and a checksum alternating in sign over the
permutation index.
"""
import sys


def fannkuch(n):
    perm1 = list(range(n))
    count = [0] * n
    max_flips = 0
    checksum = 0
    sign = 1
    r = n
    while True:
        while r != 1:
            count[r - 1] = r
            r -= 1

        first = perm1[0]
        if first:
            perm = perm1[:]
            flips = 0
            while first:
                # reverse perm[0..first]
                lo = 0
                hi = first
                while lo < hi:
                    perm[lo], perm[hi] = perm[hi], perm[lo]
                    lo += 1
                    hi -= 1
                flips += 1
                first = perm[0]
            if flips > max_flips:
                max_flips = flips
            checksum += flips * sign
        sign = -sign

        # next permutation: rotate prefixes
        while True:
            if r == n:
                return checksum, max_flips
            head = perm1[0]
            i = 0
            while i < r:
                perm1[i] = perm1[i + 1]
                i += 1
            perm1[r] = head
            count[r] -= 1
            if count[r] > 0:
                break
            r += 1


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    checksum, max_flips = fannkuch(n)
    print("fannkuch n=%d checksum=%d max_flips=%d" % (n, checksum, max_flips))


main()
