#!/usr/bin/env python3
"""A host that answers ARP late: for the on-link lab's "slowarp" host (l2lab.sh).

Usage: slowarp.py IFACE ADDRESS DELAY_SECONDS
The host's kernel does not answer ARP itself (an nft arp rule drops its replies); this process reads
ARP requests for ADDRESS on IFACE and answers each one DELAY_SECONDS later, with the interface's MAC.
It never sends anything else, and only on the lab's own link.
"""
import socket
import struct
import sys
import threading
import time

ETH_P_ARP = 0x0806


def main(iface, address, delay):
    mac = bytes.fromhex(open("/sys/class/net/%s/address" % iface).read().strip().replace(":", ""))
    ip = socket.inet_aton(address)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ARP))
    s.bind((iface, 0))
    print("answering ARP for %s on %s %.1f s late" % (address, iface, delay), flush=True)

    def answer(sender_mac, sender_ip):
        time.sleep(delay)
        arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 2, mac, ip, sender_mac, sender_ip)
        frame = sender_mac + mac + struct.pack("!H", ETH_P_ARP) + arp
        s.send(frame + b"\0" * (60 - len(frame)))

    while True:
        frame = s.recv(2048)
        if len(frame) < 42:
            continue
        op = struct.unpack("!H", frame[20:22])[0]
        if op == 1 and frame[38:42] == ip:
            threading.Thread(target=answer, args=(frame[22:28], frame[28:32]), daemon=True).start()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
