package org.edgegate.camera.internal.jpeg;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.edgegate.camera.internal.jpeg.JpegPlan.Path;
import org.junit.Test;

/** Every mode against both things a source can deliver. */
public class JpegPlanTest {
    private static final String FILE = "the file's MJPG frames (250, found through idx1)";
    private static final String DEVICE = "the device gives no MJPG (format YUYV)";

    @Test
    public void autoPassesJpegThroughAndEncodesPixels() {
        assertEquals(new JpegPlan(Path.PASSTHROUGH, FILE), JpegPlan.decide(JpegMode.AUTO, true, FILE));
        assertEquals(new JpegPlan(Path.ENCODE, DEVICE), JpegPlan.decide(JpegMode.AUTO, false, DEVICE));
    }

    @Test
    public void passthroughPassesJpegThroughAndRefusesPixels() {
        assertEquals(new JpegPlan(Path.PASSTHROUGH, FILE), JpegPlan.decide(JpegMode.PASSTHROUGH, true, FILE));
        try {
            JpegPlan.decide(JpegMode.PASSTHROUGH, false, DEVICE);
            fail("passthrough of pixels");
        } catch (IllegalArgumentException e) {
            assertEquals("jpeg=passthrough: " + DEVICE + "; use jpeg=auto to encode its pixels", e.getMessage());
        }
    }

    @Test
    public void encodeReencodesJpegAndEncodesPixels() {
        assertEquals(new JpegPlan(Path.REENCODE, "jpeg=encode; " + FILE), JpegPlan.decide(JpegMode.ENCODE, true, FILE));
        assertEquals(new JpegPlan(Path.ENCODE, "jpeg=encode; pattern: draws pixels"),
                JpegPlan.decide(JpegMode.ENCODE, false, "pattern: draws pixels"));
    }

    @Test
    public void onlyEncodeAsksASourceForPixels() {
        assertTrue(JpegPlan.asksForJpeg(JpegMode.AUTO));
        assertTrue(JpegPlan.asksForJpeg(JpegMode.PASSTHROUGH));
        assertFalse(JpegPlan.asksForJpeg(JpegMode.ENCODE));
    }

    @Test
    public void onlyPassthroughRefusesASourceWithoutJpeg() {
        assertNull(JpegPlan.refusal(JpegMode.AUTO, "x"));
        assertNull(JpegPlan.refusal(JpegMode.ENCODE, "x"));
        assertEquals("jpeg=passthrough: x; use jpeg=auto to encode its pixels", JpegPlan.refusal(JpegMode.PASSTHROUGH, "x"));
    }

    @Test
    public void theSourceJpegPathsAreTheOnesThatReadJpeg() {
        assertTrue(Path.PASSTHROUGH.sourceJpeg());
        assertTrue(Path.REENCODE.sourceJpeg());
        assertFalse(Path.ENCODE.sourceJpeg());
    }
}
