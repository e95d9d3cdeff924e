#include "compiler/driver/cli.h"

int main(int argc, char** argv) { return trust::driver::RunCli(argc, argv); }
