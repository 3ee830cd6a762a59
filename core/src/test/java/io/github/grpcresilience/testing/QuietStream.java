package io.github.grpcresilience.testing;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A server-streaming call that receives one message and then stays quiet: the normal state of a
 * subscription, and the case keepalive must cover. Works with {@code TestServers.QuietService}.
 */
public final class QuietStream {

    private static final long FIRST_MESSAGE_TIMEOUT_SECONDS = 5;

    private QuietStream() {
    }

    /**
     * Opens the stream and waits for its first message.
     *
     * @return completes with the status the stream ends with (OK when the server completes it)
     */
    public static CompletableFuture<Status> open(Channel channel) {
        CompletableFuture<Status> closed = new CompletableFuture<>();
        CompletableFuture<Void> firstMessage = new CompletableFuture<>();
        SimpleServiceGrpc.newStub(channel).serverStreamingRpc(SimpleRequest.getDefaultInstance(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(SimpleResponse value) {
                        firstMessage.complete(null);
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
        firstMessage.orTimeout(FIRST_MESSAGE_TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
        return closed;
    }
}
