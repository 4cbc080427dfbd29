package org.edgegate.http.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.edgegate.http.internal.StreamFakes.ReadPart;
import org.edgegate.http.internal.StreamFakes.TestFrame;
import org.junit.Test;

/** The multipart framing docs/http.md promises: what a browser, VLC or ffmpeg parses. */
public class PartTest {
    @Test
    public void theContentTypeNamesTheBoundaryTheStreamUses() {
        assertEquals("multipart/x-mixed-replace;boundary=edgegate-frame", Part.CONTENT_TYPE);
        assertArrayEquals("--edgegate-frame\r\n".getBytes(StandardCharsets.US_ASCII), Part.PREAMBLE);
    }

    @Test
    public void eachPartCarriesTypeLengthTimestampAndSequenceThenTheJpegThenTheClosingBoundary() {
        byte[] jpeg = new byte[1000];
        for (int i = 0; i < jpeg.length; i++) {
            jpeg[i] = (byte) i;                  // every byte value, CR and LF and '-' included
        }
        TestFrame frame = new TestFrame("cam", 42, Instant.ofEpochSecond(1_700_000_123L, 4_567_891), jpeg, false);
        Part part = Part.of(frame);

        assertEquals("cam", part.cameraId());
        assertEquals(42, part.sequence());
        String expectedHeader = "Content-Type: image/jpeg\r\nContent-Length: 1000\r\n"
                + "X-Timestamp: 1700000123.004567\r\nX-Frame-Sequence: 42\r\n\r\n";
        String all = new String(part.bytes(), StandardCharsets.ISO_8859_1);
        assertEquals(expectedHeader, all.substring(0, expectedHeader.length()));
        assertEquals("\r\n--edgegate-frame\r\n", all.substring(all.length() - 20));
        List<ReadPart> read = StreamFakes.readStream(concat(Part.PREAMBLE, part.bytes()));
        assertEquals(1, read.size());
        assertArrayEquals("the JPEG goes out unchanged", jpeg, read.get(0).body());
        assertEquals(1, frame.jpegCalls.get());
    }

    @Test
    public void timestampsKeepSixDigitsOfMicrosecondsAndIgnoreNanoseconds() {
        TestFrame early = new TestFrame("cam", 1, Instant.ofEpochSecond(5, 999), new byte[] { 9 }, false);
        TestFrame late = new TestFrame("cam", 2, Instant.ofEpochSecond(5, 999_999_999), new byte[] { 9 }, false);
        List<ReadPart> read = StreamFakes.readStream(concat(Part.PREAMBLE, Part.of(early).bytes(), Part.of(late).bytes()));
        assertEquals("5.000000", read.get(0).headers().get("X-Timestamp"));
        assertEquals("5.999999", read.get(1).headers().get("X-Timestamp"));
    }

    @Test
    public void partsFollowOneAnotherAsOneParsableStream() {
        byte[] stream = concat(Part.PREAMBLE, Part.of(TestFrame.of("a", 7)).bytes(), Part.of(TestFrame.of("a", 8)).bytes(),
                Part.of(new TestFrame("a", 9, Instant.EPOCH, new byte[0], false)).bytes());
        List<ReadPart> read = StreamFakes.readStream(stream);
        assertEquals(List.of(7L, 8L, 9L), read.stream().map(ReadPart::sequence).toList());
        assertArrayEquals(TestFrame.of("a", 8).jpeg, read.get(1).body());
        assertEquals("0", read.get(2).headers().get("Content-Length"));
    }

    static byte[] concat(byte[]... arrays) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] a : arrays) {
            b.writeBytes(a);
        }
        return b.toByteArray();
    }
}
