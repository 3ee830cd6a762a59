package io.github.grpcresilience.transport;

/** Which Netty socket implementation the starter's client channels use. */
public enum TransportKind {
    /** epoll when Netty's native epoll library loads, else NIO: the same choice grpc-java makes. */
    AUTO,
    /** Linux epoll: all TCP keepalive options including {@code TCP_USER_TIMEOUT}. */
    EPOLL,
    /** JDK NIO: keepalive idle, interval and count through the JDK; no {@code TCP_USER_TIMEOUT}. */
    NIO
}
