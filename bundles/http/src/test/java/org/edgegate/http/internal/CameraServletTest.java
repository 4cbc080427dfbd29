package org.edgegate.http.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.edgegate.http.internal.StreamFakes.ReadPart;
import org.edgegate.http.internal.StreamFakes.Registry;
import org.edgegate.http.internal.StreamFakes.Request;
import org.edgegate.http.internal.StreamFakes.Response;
import org.edgegate.http.internal.StreamFakes.TestCamera;
import org.edgegate.http.internal.StreamFakes.TestFrame;
import org.junit.After;
import org.junit.Test;

/** What a request from outside gets: status, headers, the 503 beyond maxStreams, bounds on ?fps. */
public class CameraServletTest {
    private final Streams streams = new Streams(new Registry().context);
    private final CameraServlet servlet = new CameraServlet();
    private final TestCamera demo = new TestCamera("demo");

    public CameraServletTest() throws ReflectiveOperationException {
        var field = CameraServlet.class.getDeclaredField("streams");   // what DS injects
        field.setAccessible(true);
        field.set(servlet, streams);
        servlet.configure(StreamFakes.config(2), Map.of("maxStreams", 2));
        servlet.bindCamera(demo);
    }

    @After
    public void close() {
        streams.close();
    }

    private Response get(Request request) throws Exception {
        Response response = new Response();
        servlet.doGet(request.http(), response.http());
        return response;
    }

    @Test
    public void aStreamAnswersMultipartWithoutCachingAndStartsWithTheNewestPicture() throws Exception {
        demo.latest = TestFrame.of("demo", 41);
        Request request = new Request("/demo/stream.mjpg");
        Response response = get(request);
        assertEquals(200, response.status);
        assertEquals("multipart/x-mixed-replace;boundary=edgegate-frame", response.contentType);
        assertEquals("no-store", response.headers.get("Cache-Control"));
        assertTrue(request.asyncStarted);
        assertEquals("streams until the client leaves", 0, request.async.timeout);
        assertEquals(1, streams.count());
        streams.frameReceived(TestFrame.of("demo", 42));
        List<ReadPart> parts = StreamFakes.readStream(response.out.bytes());
        assertEquals(List.of(41L, 42L), parts.stream().map(ReadPart::sequence).toList());
        assertEquals("image/jpeg", parts.get(0).headers().get("Content-Type"));
        assertNotNull(parts.get(0).headers().get("X-Timestamp"));
    }

    @Test
    public void beyondMaxStreamsItIs503WithRetryAfterAndTheOthersKeepStreaming() throws Exception {
        Response first = get(new Request("/demo/stream.mjpg"));
        Response second = get(new Request("/demo/stream.mjpg"));
        Request third = new Request("/demo/stream.mjpg");
        Response refused = get(third);
        assertEquals(503, refused.status);
        assertEquals("10", refused.headers.get("Retry-After"));
        assertTrue(refused.contentType.startsWith("text/plain"));
        String body = new String(refused.out.bytes(), StandardCharsets.UTF_8);
        assertTrue(body, body.contains("too many streams (2)") && body.contains("maxStreams"));
        assertEquals("the refused response is ended", 1, third.async.completions.get());
        assertEquals(2, streams.count());
        streams.frameReceived(TestFrame.of("demo", 1));
        assertEquals(1, StreamFakes.readStream(first.out.bytes()).size());
        assertEquals(1, StreamFakes.readStream(second.out.bytes()).size());
    }

    @Test
    public void fpsFromOutsideIsANumberFromOneFrameIn20SecondsUpToAThousandElse400() throws Exception {
        for (String bad : List.of("0", "1e-300", "0.049", "-1", "-0.5", "abc", "NaN", "Infinity", "-Infinity", "1001", "1e309", "1e3x",
                "9".repeat(5000))) {
            Request request = new Request("/demo/stream.mjpg").param("fps", bad);
            Response response = get(request);
            assertEquals("fps=" + (bad.length() > 20 ? bad.substring(0, 20) + "..." : bad), 400, response.status);
            assertFalse("no stream started for fps=" + bad, request.asyncStarted);
        }
        assertEquals(0, streams.count());
        for (String good : List.of("0.05", "0.5", " 5 ", "1000", "25")) {
            assertEquals("fps=" + good, 200, get(new Request("/demo/stream.mjpg").param("fps", good)).status);
            streams.all().forEach(StreamClient::close);
        }
        get(new Request("/demo/stream.mjpg").param("fps", "2.5"));
        assertEquals(2.5, streams.all().get(0).fpsCap, 0);
        streams.all().forEach(StreamClient::close);
        get(new Request("/demo/stream.mjpg").param("fps", ""));
        assertEquals("an empty fps: no cap", 0, streams.all().get(0).fpsCap, 0);
    }

    @Test
    public void unknownCamerasAndResourcesAre404() throws Exception {
        for (String path : List.of("/nope/stream.mjpg", "/demo/other.jpg", "/demo/", "/demo", "/", "//stream.mjpg",
                "/x/demo/stream.mjpg", "/../demo/stream.mjpg")) {
            Request request = new Request(path);
            Response response = get(request);
            assertEquals(path, 404, response.status);
            assertFalse(path, request.asyncStarted);
        }
        assertEquals(404, get(new Request(null)).status);
        assertEquals(0, streams.count());
    }

    @Test
    public void aCameraWhoseConfigurationGoesEndsItsStreams() throws Exception {
        TestCamera other = new TestCamera("other");
        servlet.bindCamera(other);
        Request demoRequest = new Request("/demo/stream.mjpg");
        Request otherRequest = new Request("/other/stream.mjpg");
        get(demoRequest);
        get(otherRequest);
        servlet.unbindCamera(demo);
        assertEquals(1, demoRequest.async.completions.get());
        assertEquals(0, otherRequest.async.completions.get());
        assertEquals(1, streams.count());
        assertEquals("and it is gone for new requests", 404, get(new Request("/demo/stream.mjpg")).status);
    }

    @Test
    public void aSnapshotIsOneJpegOrTheNoSignalPicture() throws Exception {
        Response none = get(new Request("/demo/snapshot.jpg"));
        assertEquals(200, none.status);
        assertEquals("image/jpeg", none.contentType);
        assertEquals("true", none.headers.get("X-Frame-Placeholder"));
        assertEquals("no-store", none.headers.get("Cache-Control"));
        demo.latest = TestFrame.of("demo", 9);
        Response one = get(new Request("/demo/snapshot.jpg"));
        assertEquals("false", one.headers.get("X-Frame-Placeholder"));
        assertEquals("9", one.headers.get("X-Frame-Sequence"));
        assertEquals(TestFrame.of("demo", 9).jpeg.length, one.contentLength);
        assertEquals(new String(TestFrame.of("demo", 9).jpeg, StandardCharsets.ISO_8859_1),
                new String(one.out.bytes(), StandardCharsets.ISO_8859_1));
    }
}
