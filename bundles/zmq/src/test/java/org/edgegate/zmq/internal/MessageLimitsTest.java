package org.edgegate.zmq.internal;

import static org.junit.Assert.assertEquals;

import java.util.Map;

import org.junit.Test;

public class MessageLimitsTest {

    private static long inbound(Map<String, String> properties) {
        return EndpointSettings.parse(properties).maxInboundBytes();
    }

    @Test
    public void aStateEndpointReadsFourTimesItsRequestLimitAndAtLeast64KiB() {
        assertEquals(4L * 65536, inbound(Map.of("id", "s", "mode", "state")));
        assertEquals(4L << 20, inbound(Map.of("id", "s", "mode", "state", "max.request", "1048576")));
        assertEquals(64L << 10, inbound(Map.of("id", "s", "mode", "state", "max.request", "100")));
    }

    @Test
    public void everyOtherEndpointReadsSubscriptionsAndRepliesOnly() {
        assertEquals(4096, inbound(Map.of("id", "n")));
        assertEquals(4096, inbound(Map.of("id", "h", "mode", "imagezmq", "address", "tcp://127.0.0.1:5555")));
        assertEquals(4096, inbound(Map.of("id", "p", "mode", "seed", "cameras", "c", "address", "tcp://127.0.0.1:1")));
    }
}
