package org.edgegate.camera.internal.jpeg;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.edgegate.api.camera.JpegCodec;
import org.edgegate.api.camera.JpegImage;
import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.health.Monitored;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The JPEG codecs present, best first (highest {@code service.ranking}): every encode and decode of the
 * cameras goes through the best one at the time of the call, so a codec that comes takes over at the next
 * frame and one that goes (its bundle stopped) hands over to the next without stopping capture. Shown in
 * {@code gw:status} as {@code codec jpeg}.
 */
@Component(service = {JpegCodecs.class, Monitored.class}, immediate = true)
public class JpegCodecs implements Monitored {
    private record Entry(JpegCodec codec, int ranking, long serviceId) {
    }

    private static final Comparator<Entry> BEST_FIRST = Comparator.comparingInt(Entry::ranking).reversed()
            .thenComparingLong(Entry::serviceId);

    /** Serves when no codec service is bound (outside OSGi, or for a moment while bundles change). */
    private final OpenCvJpegCodec builtIn = new OpenCvJpegCodec();
    private final List<Entry> codecs = new CopyOnWriteArrayList<>();
    private volatile JpegCodec best = builtIn;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void bindCodec(JpegCodec codec, Map<String, Object> props) {
        codecs.add(new Entry(codec, ranking(props), (Long) props.get(Constants.SERVICE_ID)));
        choose();
    }

    public void updatedCodec(JpegCodec codec, Map<String, Object> props) {
        codecs.removeIf(e -> e.codec() == codec);
        bindCodec(codec, props);
    }

    public void unbindCodec(JpegCodec codec) {
        codecs.removeIf(e -> e.codec() == codec);
        choose();
    }

    private synchronized void choose() {
        List<Entry> all = new ArrayList<>(codecs);
        all.sort(BEST_FIRST);
        best = all.isEmpty() ? builtIn : all.get(0).codec();
    }

    private static int ranking(Map<String, Object> props) {
        return props.get(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
    }

    /** The codec in use now. */
    public JpegCodec best() {
        return best;
    }

    /** Encodes an 8-bit BGR Mat with the best codec, straight from its memory. */
    public byte[] encode(Mat bgr, int quality) {
        if (bgr.type() != CvType.CV_8UC3) {
            throw new IllegalArgumentException("not 8-bit BGR pixels: " + bgr);
        }
        for (;;) {
            JpegCodec c = best;
            try {
                return c instanceof OpenCvJpegCodec o ? o.encode(bgr, quality)
                        : c.encode(bgr.dataAddr(), bgr.cols(), bgr.rows(), (int) bgr.step1(0), quality);
            } catch (RuntimeException e) {
                if (best == c) {
                    throw e;
                }
                // The codec went away during the call: the next one serves.
            }
        }
    }

    public byte[] encode(byte[] bgr, int width, int height, int quality) {
        for (;;) {
            JpegCodec c = best;
            try {
                return c.encode(bgr, width, height, quality);
            } catch (RuntimeException e) {
                if (best == c) {
                    throw e;
                }
            }
        }
    }

    public JpegImage decode(byte[] jpeg) {
        for (;;) {
            JpegCodec c = best;
            try {
                return c.decode(jpeg);
            } catch (IllegalArgumentException e) {
                throw e; // bad input: another codec would not do better
            } catch (RuntimeException e) {
                if (best == c) {
                    throw e;
                }
            }
        }
    }

    @Override
    public String kind() {
        return "codec";
    }

    @Override
    public String id() {
        return "jpeg";
    }

    @Override
    public Health health() {
        JpegCodec c = best;
        Health h = health;
        if (h != null && healthOf == c && h.reason().endsWith(others(c))) {
            return h;
        }
        String d;
        try {
            d = c.description();
        } catch (RuntimeException e) {
            d = e.toString();
        }
        h = Health.of(HealthState.OPEN, c.name() + ": " + d + others(c));
        health = h;
        healthOf = c;
        return h;
    }

    private volatile Health health;
    private volatile JpegCodec healthOf;

    private String others(JpegCodec c) {
        List<Entry> all = new ArrayList<>(codecs);
        all.sort(BEST_FIRST);
        StringBuilder others = new StringBuilder();
        for (Entry e : all) {
            if (e.codec() != c) {
                others.append(others.length() == 0 ? "; also " : ", ").append(e.codec().name());
            }
        }
        return others.toString();
    }
}
