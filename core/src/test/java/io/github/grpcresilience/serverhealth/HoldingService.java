package io.github.grpcresilience.serverhealth;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Unary echo, except that a request saying {@value #HOLD} is held open until {@link #release()}:
 * a call that is running when the server shuts down.
 */
public class HoldingService extends SimpleServiceGrpc.SimpleServiceImplBase {

    public static final String HOLD = "hold";

    private final Queue<StreamObserver<SimpleResponse>> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger held = new AtomicInteger();

    @Override
    public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
        if (HOLD.equals(request.getRequestMessage())) {
            held.incrementAndGet();
            waiting.add(responses);
            return;
        }
        responses.onNext(SimpleResponse.newBuilder().setResponseMessage(request.getRequestMessage()).build());
        responses.onCompleted();
    }

    /** Calls held so far (including finished ones). */
    public int held() {
        return held.get();
    }

    /** Answers every held call that is still waiting; cancelled ones are skipped. */
    public void release() {
        for (StreamObserver<SimpleResponse> responses; (responses = waiting.poll()) != null; ) {
            if (((ServerCallStreamObserver<SimpleResponse>) responses).isCancelled()) {
                continue;
            }
            responses.onNext(SimpleResponse.newBuilder().setResponseMessage("released").build());
            responses.onCompleted();
        }
    }
}
