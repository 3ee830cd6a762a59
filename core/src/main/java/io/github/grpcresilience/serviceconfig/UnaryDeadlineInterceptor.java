package io.github.grpcresilience.serviceconfig;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Deadline;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Gives unary calls a channel's default deadline. The default is not put in the service config,
 * where it would also end every streaming call: a long-lived stream (a subscription, a watch)
 * would die with DEADLINE_EXCEEDED once the default is over. Streaming methods get a deadline only
 * from their own method entry (in the service config) or from the application's call options.
 *
 * <p>A method whose service-config entry sets its own {@code timeout} is left to that entry (the
 * entry is matched as grpc-java does: the method's entry, else its service's). A call that already
 * has an earlier deadline keeps it; a later one is shortened to the default, as grpc-java does with
 * a service-config timeout.
 *
 * <p>Thread-safety: immutable.
 */
public final class UnaryDeadlineInterceptor implements ClientInterceptor {

    private final long timeoutNanos;
    private final Set<MethodName> ownTimeouts;

    /**
     * @param timeout the default deadline of a unary call
     * @param ownTimeouts the method entries (method or service) that set their own timeout
     */
    public UnaryDeadlineInterceptor(Duration timeout, Set<MethodName> ownTimeouts) {
        RetryPolicy.requirePositive("timeout", timeout);
        this.timeoutNanos = timeout.toNanos();
        this.ownTimeouts = Set.copyOf(Objects.requireNonNull(ownTimeouts, "ownTimeouts"));
    }

    /** The default deadline, for display. */
    public Duration timeout() {
        return Duration.ofNanos(timeoutNanos);
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
            CallOptions callOptions, Channel next) {
        if (method.getType() == MethodDescriptor.MethodType.UNARY && !hasOwnTimeout(method)) {
            Deadline deadline = Deadline.after(timeoutNanos, TimeUnit.NANOSECONDS);
            Deadline existing = callOptions.getDeadline();
            if (existing == null || deadline.isBefore(existing)) {
                callOptions = callOptions.withDeadline(deadline);
            }
        }
        return next.newCall(method, callOptions);
    }

    private boolean hasOwnTimeout(MethodDescriptor<?, ?> method) {
        if (ownTimeouts.isEmpty()) {
            return false;
        }
        String service = method.getServiceName();
        String bare = method.getBareMethodName();
        return ownTimeouts.contains(new MethodName(service == null ? "" : service, bare == null ? "" : bare))
                || ownTimeouts.contains(new MethodName(service == null ? "" : service, ""));
    }
}
