// trust-apply: the thin runtime that makes keystores match trustc's manifests.
#include "runtime/apply/cli.h"

int main(int argc, char** argv) { return trust::apply::RunCli(argc, argv); }
