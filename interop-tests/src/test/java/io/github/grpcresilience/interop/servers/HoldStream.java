package io.github.grpcresilience.interop.servers;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ClientCallStreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A quiet {@code interop.Peer/Hold} stream: opened with no message either way, the normal state of
 * a subscription and the case keepalive must cover. {@link #roundTrip} proves it still works.
 */
final class HoldStream {

    private final ClientCallStreamObserver<byte[]> requests;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Status> closed = new CompletableFuture<>();

    private HoldStream(Channel channel) {
        CompletableFuture<ClientCallStreamObserver<byte[]>> started = new CompletableFuture<>();
        ClientCalls.asyncBidiStreamingCall(channel.newCall(PeerMethods.HOLD, CallOptions.DEFAULT),
                new ClientResponseObserver<byte[], byte[]>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<byte[]> requestStream) {
                        started.complete(requestStream);
                    }

                    @Override
                    public void onNext(byte[] value) {
                        received.add(new String(value, StandardCharsets.UTF_8));
                    }

                    @Override
                    public void onError(Throwable t) {
                        closed.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        closed.complete(Status.OK);
                    }
                });
        this.requests = started.join();
    }

    /** Opens the stream; nothing is sent either way until {@link #roundTrip}. */
    static HoldStream open(Channel channel) {
        return new HoldStream(channel);
    }

    /** Sends {@code text} and waits up to {@code timeout} for the server to echo it; null if it did not. */
    String roundTrip(String text, Duration timeout) throws InterruptedException {
        requests.onNext(text.getBytes(StandardCharsets.UTF_8));
        return received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Completes when the stream ends, with its status. */
    CompletableFuture<Status> closed() {
        return closed;
    }

    /** Ends the stream from the client side (a no-op once it has ended). */
    void cancel() {
        requests.cancel("test over", null);
    }
}
