#!/usr/bin/python3
"""Decrypts a cgd image sector by sector with OpenSSL's AES (python3-cryptography), independently of jrump.

usage: scripts/cgd-decrypt.py ALGORITHM IVMETHOD KEYHEX IMAGE OUT
cgd(4): sector n's IV input is n as 64 bits little-endian, zero-padded; aes-xts uses it as the XTS tweak
input; aes-cbc encrypts a zero-padded buffer of 16 (encblkno1) or 128 (encblkno8) bytes holding it in CBC
from a zero IV and takes the last block as the sector's IV.
"""
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

alg, ivmethod, keyhex, image, out = sys.argv[1:]
key = bytes.fromhex(keyhex)
data = open(image, "rb").read()
plain = bytearray()
for n in range(len(data) // 512):
    sector = data[n * 512:(n + 1) * 512]
    number = n.to_bytes(8, "little")
    if alg == "aes-xts":
        d = Cipher(algorithms.AES(key), modes.XTS(number + bytes(8))).decryptor()
    else:
        size = 16 if ivmethod == "encblkno1" else 128
        e = Cipher(algorithms.AES(key), modes.CBC(bytes(16))).encryptor()
        iv = (e.update(number + bytes(size - 8)) + e.finalize())[-16:]
        d = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    plain += d.update(sector) + d.finalize()
open(out, "wb").write(plain)
