"""What every process wires: settings, database, Redis, the clock, job runners and the services bundle."""
