package io.github.grpcresilience.benchmarks.soak;

/** The faults the soak injects, one at a time; each hits one pair of agents or the control plane. */
enum FaultKind {
    /**
     * The pair's proxies forward nothing (connections stay open, new ones are accepted and frozen
     * too: a hung peer) for 20–60 s; at the end its connections are reset and new ones pass.
     */
    FREEZE("connection freeze", true, true),
    /** The pair's proxies close every connection with RST. */
    RST("RST", true, false),
    /** The pair's proxies stop passing the agent's bytes, then send it FIN (a crashed peer's kernel). */
    FIN("FIN", true, false),
    /**
     * The pair's proxies send the control plane a burst of HTTP/2 PINGs on the agent's connection,
     * more than its permit allows: GOAWAY {@code too_many_pings}, as for a client that pings too often.
     */
    TOO_MANY_PINGS("too_many_pings", true, false),
    /** nftables drops every packet to and from the pair's proxy ports for 20–60 s. */
    BLACK_HOLE("kernel black hole", true, true),
    /** SIGTERM to the control plane; restarted on the same port once it has exited. */
    SIGTERM_RESTART("control plane SIGTERM + restart", false, false),
    /** SIGKILL to the control plane; restarted on the same port at once. */
    SIGKILL_RESTART("control plane SIGKILL + restart", false, false);

    final String label;
    final boolean pair;
    final boolean lasting;

    FaultKind(String label, boolean pair, boolean lasting) {
        this.label = label;
        this.pair = pair;
        this.lasting = lasting;
    }
}
