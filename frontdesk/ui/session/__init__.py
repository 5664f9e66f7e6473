"""Who sits at the window: sign-in, first run, passwords, the idle lock."""
