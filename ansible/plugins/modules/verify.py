#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: verify
short_description: Check that keystores still match trustc keystore manifests
description:
  - Runs C(trust-apply verify --format json) on the managed host, for monitoring playbooks.
    Never writes anything and always reports C(changed=false).
  - On drift (something the manifests want added, replaced or removed) the task fails, or with
    C(fail_on_drift=false) succeeds and returns the C(drift) list to register and act on.
  - A C(trust-apply) error (wrong password, unreadable keystore, a conflict, artifacts that do
    not match C(SHA256SUMS)) always fails the task with C(trust-apply)'s message.
version_added: 0.1.0
author: trustc developers
extends_documentation_fragment: trustc.trust.common
options:
  fail_on_drift:
    description:
      - Fail the task when a keystore has drifted. With C(false), drift is only reported.
    type: bool
    default: true
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
'''

EXAMPLES = r'''
- name: Check the keystores against the release that should be deployed
  trustc.trust.verify:
    manifests: "{{ query('ansible.builtin.fileglob', '/opt/trustc/release/keystores/*.manifest.json') }}"
    sums: /opt/trustc/release/SHA256SUMS
    fail_on_drift: false
  environment:
    CX_HOME: /opt/CA/ConnectorXpress
    CX_CACERTS_PASSWORD: "{{ vault_cx_cacerts_password }}"
  register: checked

- name: Report drifted aliases
  ansible.builtin.debug:
    msg: "{{ item.keystore }} ({{ item.path }}): {{ item.action }} {{ item.alias }}"
  loop: "{{ checked.drift }}"
'''

RETURN = r'''
in_sync:
  description: Whether every keystore matches its manifest.
  returned: success or drift
  type: bool
drift:
  description: One item per entry that differs from its manifest; empty when in sync.
  returned: success or drift
  type: list
  elements: dict
  contains:
    keystore:
      description: The keystore's name in the manifest.
      type: str
    path:
      description: The keystore file.
      type: str
    action:
      description: What C(trustc.trust.apply) would do to it, C(add), C(replace) or C(remove); or C(create) for a missing keystore.
      type: str
    alias:
      description: The alias (empty for C(create)).
      type: str
    sha256:
      description: The certificate the manifest wants (for C(remove), the one present).
      type: str
    subject:
      description: That certificate's subject.
      type: str
keystores:
  description: Per keystore, as returned by M(trustc.trust.apply) in check mode.
  returned: success or drift
  type: list
  elements: dict
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.trustc.trust.plugins.module_utils import trust_apply


def drift_items(keystore):
    items = []
    if keystore['create']:
        items.append(dict(keystore=keystore['keystore'], path=keystore['path'], action='create',
                          alias='', sha256='', subject=''))
    for entry in keystore['entries']:
        if entry['action'] in trust_apply.CHANGING_ACTIONS:
            items.append(dict(keystore=keystore['keystore'], path=keystore['path'],
                              action=entry['action'], alias=entry['alias'],
                              sha256=entry['sha256'], subject=entry['subject']))
    return items


def describe(drift):
    return '; '.join('%s: %s %s' % (item['keystore'], item['action'], item['alias'])
                     for item in drift)


def main():
    argument_spec = dict(trust_apply.COMMON_ARGUMENT_SPEC)
    argument_spec.update(fail_on_drift=dict(type='bool', default=True))
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)

    argv = trust_apply.command(module, 'verify', ['--format', 'json'])
    rc, stdout, stderr = trust_apply.run(module, argv)
    if rc not in (trust_apply.EXIT_OK, trust_apply.EXIT_PENDING):
        trust_apply.fail(module, argv, rc, stdout, stderr)
    keystores = trust_apply.parse_plan(module, argv, stdout, stderr, rc)

    drift = [item for keystore in keystores for item in drift_items(keystore)]
    result = dict(changed=False, in_sync=not drift, drift=drift,
                  keystores=[trust_apply.keystore_result(keystore) for keystore in keystores])
    if module._diff:
        result['diff'] = trust_apply.diffs(keystores)
    if drift and module.params['fail_on_drift']:
        module.fail_json(msg='keystores differ from their manifests: ' + describe(drift), **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
