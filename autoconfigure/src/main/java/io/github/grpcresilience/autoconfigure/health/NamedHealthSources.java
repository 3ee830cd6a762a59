package io.github.grpcresilience.autoconfigure.health;

import java.util.Optional;
import java.util.SortedMap;

/**
 * A composite health indicator whose members come and go (channels, streams), one source per
 * member. Each member's source is bound to that member: a report read after the member went away
 * still describes it (a shut-down channel reads OUT_OF_SERVICE).
 */
public interface NamedHealthSources {

    /** The members there are now, by name. */
    SortedMap<String, HealthSource> members();

    /** The member called {@code name}, empty if there is none. */
    Optional<HealthSource> member(String name);
}
