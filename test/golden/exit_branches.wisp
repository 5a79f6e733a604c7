// both arms of the if end the probe: the jump over the else arm that
// follows the then arm, and in END the printf after the if, are reached
// by no path, and not emitted (the verifier refuses unreachable code)
BEGIN { if (pid > 1) { exit(0); } else { exit(1); } }
END { if (pid > 1) { exit(); } else { return; } printf("never\n"); }
