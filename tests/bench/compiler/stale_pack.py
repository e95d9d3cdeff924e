# stale_pack.py PACK VERSION MIB DAY: puts MIB MiB of records of certificates no build uses
# (random keys, tags and bodies of 1.5 KB, as real records are) between the magic line and the
# records already in PACK. VERSION 3: the old layout; 4: with a last-used DAY.
import os, struct, sys
path, version, mib, day = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
data = open(path, 'rb').read()
magic = b'trustc facts v%d\n' % version
assert data.startswith(magic), data[:16]
junk = bytearray()
body = 1500
while len(junk) < mib << 20:
    junk += struct.pack('<I', body)
    if version == 4:
        junk += struct.pack('<I', day)
    junk += os.urandom(64 + body)
open(path, 'wb').write(magic + bytes(junk) + data[len(magic):])
