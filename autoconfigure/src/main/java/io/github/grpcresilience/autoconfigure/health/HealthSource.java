package io.github.grpcresilience.autoconfigure.health;

/** One health indicator's verdict, computed each time it is asked for. */
@FunctionalInterface
public interface HealthSource {

    HealthReport report();
}
