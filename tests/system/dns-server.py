#!/usr/bin/python3
"""A DNS server for the census: on 127.0.0.1:53 (UDP), it answers A queries
for census.test with 127.0.0.1, other queries for census.test with no
record, and any other name with NXDOMAIN.  It lets an unrestricted
getaddrinfo() resolve a DNS name in a guest with no network, so that the
census's DNS cases have a control."""
import socket
import struct

NAME = b'census.test'


def question(msg):
    """The question's name (dotted, lower case), type, and where it ends."""
    labels, i = [], 12
    while msg[i]:
        labels.append(msg[i + 1:i + 1 + msg[i]])
        i += 1 + msg[i]
    qtype = struct.unpack('>H', msg[i + 1:i + 3])[0]
    return b'.'.join(labels).lower(), qtype, i + 5


def answer(msg):
    ident, flags = struct.unpack('>HH', msg[:4])
    name, qtype, end = question(msg)
    rd = flags & 0x0100
    if name != NAME:
        return struct.pack('>HHHHHH', ident, 0x8483 | rd, 1, 0, 0, 0) + msg[12:end]
    if qtype != 1:
        return struct.pack('>HHHHHH', ident, 0x8480 | rd, 1, 0, 0, 0) + msg[12:end]
    record = struct.pack('>HHHIH', 0xc00c, 1, 1, 60, 4) + socket.inet_aton('127.0.0.1')
    return struct.pack('>HHHHHH', ident, 0x8480 | rd, 1, 1, 0, 0) + msg[12:end] + record


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(('127.0.0.1', 53))
    while True:
        msg, peer = sock.recvfrom(512)
        try:
            sock.sendto(answer(msg), peer)
        except (IndexError, struct.error):
            pass


if __name__ == '__main__':
    main()
