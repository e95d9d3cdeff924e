#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: apply
short_description: Make keystores match trustc keystore manifests with trust-apply
description:
  - Runs C(trust-apply) on the managed host so that each keystore (JKS, PKCS#12 or PEM) holds
    the certificates its manifest names, under their aliases, and not the aliases it removes.
    Entries the manifests do not name, private keys included, are left alone.
  - First runs C(trust-apply plan --format json); only when that plan has something to add,
    replace or remove (or a keystore to create) does it run C(trust-apply apply). A second run
    therefore reports C(changed=false) and rewrites nothing.
  - In check mode only the plan runs. In diff mode the diff lists, per keystore, the aliases
    added, replaced and removed, taken from the JSON plan.
  - Any failure of C(trust-apply) (wrong password, conflict, artifacts that do not match
    C(SHA256SUMS) or its signature, a C(requireEndpoint) not serving the certificate) fails
    the task with C(trust-apply)'s message; nothing has been written then.
version_added: 0.1.0
author: trustc developers
extends_documentation_fragment: trustc.trust.common
options:
  backup:
    description:
      - Keep the old keystore as C(NAME.bak-YYYYMMDDTHHMMSSZ) beside it when it changes.
        With C(false), C(trust-apply) gets C(--no-backup).
    type: bool
    default: true
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
'''

EXAMPLES = r'''
- name: Apply the release's keystore manifests
  trustc.trust.apply:
    manifests:
      - /opt/trustc/release/keystores/connector_xpress.manifest.json
    sums: /opt/trustc/release/SHA256SUMS
    verify_key: /etc/trustc/release-signing.pub.pem
  environment:
    CX_HOME: /opt/CA/ConnectorXpress
    CX_CACERTS_PASSWORD: "{{ vault_cx_cacerts_password }}"
  register: applied

- name: Show what changed
  ansible.builtin.debug:
    msg: "{{ item.keystore }}: added {{ item.added }}, backup {{ item.backup }}"
  loop: "{{ applied.keystores }}"
  when: item.changed
'''

RETURN = r'''
keystores:
  description: One item per manifest, in the order given; in check mode, what would happen.
  returned: success
  type: list
  elements: dict
  contains:
    keystore:
      description: The keystore's name in the manifest.
      type: str
      sample: connector_xpress
    path:
      description: The keystore file, as the manifest names it after C(${env:...}) expansion.
      type: str
      sample: /opt/CA/ConnectorXpress/jvm/lib/security/cacerts
    format:
      description: C(jks), C(pkcs12) or C(pem).
      type: str
    create:
      description: Whether the keystore file is (to be) created.
      type: bool
    changed:
      description: Whether this keystore is (to be) rewritten.
      type: bool
    added:
      description: Aliases added.
      type: list
      elements: str
      sample: [api_gateway_cert]
    replaced:
      description: Aliases whose certificate was replaced.
      type: list
      elements: str
    removed:
      description: Aliases removed.
      type: list
      elements: str
    unchanged:
      description: Aliases already holding their certificate.
      type: list
      elements: str
    skipped:
      description: Aliases not added because the certificate is already present under another alias.
      type: list
      elements: str
    backup:
      description: The backup of the old keystore, when one was made.
      type: str
      sample: /opt/CA/ConnectorXpress/jvm/lib/security/cacerts.bak-20260301T120000Z
stdout:
  description: What C(trust-apply apply) printed (one summary line per keystore).
  returned: when apply ran
  type: str
'''

import re

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.trustc.trust.plugins.module_utils import trust_apply

# `trust-apply apply` prints one line per keystore: "NAME: nothing to do (...)" or
# "NAME: N added, ... skipped[; backup PATH]". Only the backup path is taken from it;
# everything else comes from the JSON plan.
BACKUP_LINE = re.compile(r'^(?P<keystore>[^:\s]+): .*; backup (?P<backup>.+)$')


def backups_by_keystore(stdout):
    matches = (BACKUP_LINE.match(line) for line in stdout.splitlines())
    return dict((m.group('keystore'), m.group('backup')) for m in matches if m)


def plan(module):
    argv = trust_apply.command(module, 'plan', ['--format', 'json'])
    rc, stdout, stderr = trust_apply.run(module, argv)
    if rc not in (trust_apply.EXIT_OK, trust_apply.EXIT_PENDING):
        trust_apply.fail(module, argv, rc, stdout, stderr)
    return trust_apply.parse_plan(module, argv, stdout, stderr, rc)


def apply(module):
    extra = [] if module.params['backup'] else ['--no-backup']
    argv = trust_apply.command(module, 'apply', extra)
    rc, stdout, stderr = trust_apply.run(module, argv)
    if rc != trust_apply.EXIT_OK:
        trust_apply.fail(module, argv, rc, stdout, stderr)
    return stdout


def main():
    argument_spec = dict(trust_apply.COMMON_ARGUMENT_SPEC)
    argument_spec.update(backup=dict(type='bool', default=True))
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)

    keystores = plan(module)
    changed = any(trust_apply.has_changes(keystore) for keystore in keystores)
    result = dict(changed=changed)
    if module._diff:
        result['diff'] = trust_apply.diffs(keystores)

    backups = {}
    if changed and not module.check_mode:
        result['stdout'] = apply(module)
        backups = backups_by_keystore(result['stdout'])
    result['keystores'] = [trust_apply.keystore_result(keystore, backups.get(keystore['keystore']))
                           for keystore in keystores]
    module.exit_json(**result)


if __name__ == '__main__':
    main()
