# -*- coding: utf-8 -*-
# The options trustc.trust.apply and trustc.trust.verify share, documented once.

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r'''
options:
  manifests:
    description:
      - Keystore manifests (C(keystores/NAME.manifest.json) from C(trustc build)) on the managed
        host, all handled in one C(trust-apply) run.
      - Each manifest names its keystore path and its password by reference (an environment
        variable or a file). Set those variables with the task's C(environment) keyword; this
        module has no password option.
    type: list
    elements: path
    required: true
  sums:
    description:
      - The release's C(SHA256SUMS). Every manifest and certificate must be listed in it with
        its hash, or C(trust-apply) refuses to run (C(--sums)).
    type: path
  verify_key:
    description:
      - PEM public key; C(SHA256SUMS.sig) beside C(sums) must verify with it (C(--verify-key)).
      - Requires C(sums).
    type: path
  require_signature:
    description:
      - Passes C(--require-signature) to C(trust-apply), which then refuses to run unless C(sums)
        and C(verify_key) are given and verify. Needs a C(trust-apply) that has that flag.
    type: bool
    default: false
  executable:
    description:
      - The C(trust-apply) to run; a bare name is looked up on the managed host's C(PATH).
    type: str
    default: trust-apply
notes:
  - Passwords never pass through module options. Note that Ansible renders the task's
    C(environment) into the C(/bin/sh -c) command line it runs on the host (visible to local
    users in C(ps), and printed at C(-vvv)); on hosts shared with untrusted users prefer
    C(password file) references in the C(.trust) source (see docs/fleet.md).
requirements:
  - trust-apply on the managed host
'''
