"""Finite-field Diffie-Hellman groups and elliptic curves of a TLS key exchange (pure maths, no I/O).

    analyse_dh(p, g, ys) -> {"bits", "group", "prime", "safe_prime", "small_subgroup", "problems": [...]}

Known groups (RFC 7919 ffdhe*, RFC 3526 MODP, RFC 5114) are recognised by the SHA-256 of p (first 128
bits); any other modulus is tested: Miller-Rabin with fixed bases (p composite -> fail), safe prime
(p = 2q + 1 with q prime), and whether g lies in a subgroup whose order has only small factors (the
"small subgroup" confinement of RFC 7919 §1 / Logjam-style weak groups). Moduli above MAX_TESTED_BITS are
not tested (reported as such), to bound the work a hostile server can cause.
"""

from __future__ import annotations

import hashlib

MAX_TESTED_BITS = 8192
ROUNDS = 24
SMALL_FACTOR_BOUND = 1 << 16
KNOWN = {  # sha256(p)[:32] -> (name, bits, safe prime)
    "9cd3b7f336872f46c09428d1bbc19877": ("ffdhe2048", 2048, True),
    "0eaf67db3a839156d5013494a5318a77": ("ffdhe3072", 3072, True),
    "4648414224ac881b3d0dc59b466f96d0": ("ffdhe4096", 4096, True),
    "227ac9066b3ddd9e193670cda2388fa8": ("ffdhe6144", 6144, True),
    "770b14efaf6f049929c523113b3fa99a": ("ffdhe8192", 8192, True),
    "64fcc83ec403930bf18393dbc883ccaa": ("modp1536 (RFC 3526)", 1536, True),
    "d66436f79bbd6b2e38c0ffbd079be904": ("modp2048 (RFC 3526)", 2048, True),
    "48cf8b092fbce4359d9871abf74f98e2": ("modp3072 (RFC 3526)", 3072, True),
    "4ee95187682bcb230ad26a95205f6920": ("modp4096 (RFC 3526)", 4096, True),
    "d1bfe6d0925ce7e4da262b62861514a7": ("modp6144 (RFC 3526)", 6144, True),
    "39ab4feab950a3128fb71accb9fc3965": ("modp8192 (RFC 3526)", 8192, True),
    "44c55cfee5c075927cf682da5b681bde": ("RFC 5114 1024-bit/160", 1024, False),
    "bfe545862ca102ad1eeddb5fbfa5bf85": ("RFC 5114 2048-bit/224", 2048, False),
    "0b7835722cb619827610c2549fdda558": ("RFC 5114 2048-bit/256", 2048, False),
}
# TLS NamedGroup code points (RFC 8446 §4.2.7, RFC 8422, RFC 7027, RFC 8734, RFC 7919, IANA)
NAMED_GROUPS = {
    1: "sect163k1", 2: "sect163r1", 3: "sect163r2", 4: "sect193r1", 5: "sect193r2", 6: "sect233k1", 7: "sect233r1",
    8: "sect239k1", 9: "sect283k1", 10: "sect283r1", 11: "sect409k1", 12: "sect409r1", 13: "sect571k1",
    14: "sect571r1", 15: "secp160k1", 16: "secp160r1", 17: "secp160r2", 18: "secp192k1", 19: "secp192r1",
    20: "secp224k1", 21: "secp224r1", 22: "secp256k1", 23: "secp256r1", 24: "secp384r1", 25: "secp521r1",
    26: "brainpoolP256r1", 27: "brainpoolP384r1", 28: "brainpoolP512r1", 29: "x25519", 30: "x448",
    31: "brainpoolP256r1tls13", 32: "brainpoolP384r1tls13", 33: "brainpoolP512r1tls13",
    256: "ffdhe2048", 257: "ffdhe3072", 258: "ffdhe4096", 259: "ffdhe6144", 260: "ffdhe8192",
    0x11EB: "SecP256r1MLKEM768", 0x11EC: "X25519MLKEM768", 0x11ED: "SecP384r1MLKEM1024", 0x6399: "X25519Kyber768Draft00",
}
# ANSSI TLS guide R7: secp256r1/384r1/521r1, x25519, x448 and brainpool*r1; hybrids built on them are fine too
GOOD_CURVES = {"secp256r1", "secp384r1", "secp521r1", "x25519", "x448", "brainpoolP256r1", "brainpoolP384r1",
               "brainpoolP512r1", "brainpoolP256r1tls13", "brainpoolP384r1tls13", "brainpoolP512r1tls13",
               "SecP256r1MLKEM768", "X25519MLKEM768", "SecP384r1MLKEM1024", "X25519Kyber768Draft00"}
FFDHE_GROUPS = {256: 2048, 257: 3072, 258: 4096, 259: 6144, 260: 8192}
_BASES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89)


def group_name(code: int) -> str:
    return NAMED_GROUPS.get(code, f"0x{code:04X}")


def is_probable_prime(n: int, rounds: int = ROUNDS) -> bool:
    """Miller-Rabin with the first `rounds` prime bases (deterministic, so verdicts are reproducible)."""
    if n < 2:
        return False
    for q in _BASES[:rounds]:
        if n % q == 0:
            return n == q
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for a in _BASES[:rounds]:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def smooth_part(n: int, bound: int = SMALL_FACTOR_BOUND) -> int:
    """The product of the prime powers below `bound` that divide n."""
    part, f = 1, 2
    while f < bound and n > 1:
        while n % f == 0:
            n //= f
            part *= f
        f += 1 if f == 2 else 2
    return part


def analyse_dh(p: int, g: int, ys: int | None = None) -> dict:
    """What is wrong with the finite-field group (p, g) a server offered (and its public value ys)."""
    bits = p.bit_length()
    digest = hashlib.sha256(p.to_bytes((bits + 7) // 8 or 1, "big")).hexdigest()[:32]
    out: dict = {"bits": bits, "generator": g if g.bit_length() <= 64 else f"{g.bit_length()}-bit value",
                 "group": None, "prime": None, "safe_prime": None, "small_subgroup": None, "problems": []}
    known = KNOWN.get(digest)
    if known:
        out.update(group=known[0], prime=True, safe_prime=known[2])
    elif bits > MAX_TESTED_BITS:
        out["problems"].append(f"modulus of {bits} bits not tested (more than {MAX_TESTED_BITS})")
    else:
        out["prime"] = is_probable_prime(p)
        out["safe_prime"] = bool(out["prime"]) and is_probable_prime((p - 1) // 2)
    if out["prime"] is False:
        out["problems"].append("composite modulus (p is not prime)")
    elif out["prime"] and not out["safe_prime"]:
        out["problems"].append("p is not a safe prime ((p-1)/2 is not prime)")
    if not 1 < g < p - 1:
        out["small_subgroup"] = True
        out["problems"].append(f"generator {g if g.bit_length() <= 64 else '?'} generates a subgroup of order <= 2")
    elif out["prime"] and not out["safe_prime"] and bits <= MAX_TESTED_BITS:
        out["small_subgroup"] = pow(g, smooth_part(p - 1), p) == 1
        if out["small_subgroup"]:
            out["problems"].append("the generator lies in a small subgroup (its order has only small factors)")
    elif out["prime"]:
        out["small_subgroup"] = False
    if ys is not None and not 1 < ys < p - 1:
        out["problems"].append("server public value out of range (1 < Ys < p-1)")
    return out
