package org.edgegate.jpegturbo.internal;

import java.util.Dictionary;
import java.util.Hashtable;

import org.edgegate.api.camera.JpegCodec;
import org.edgegate.api.health.Health;
import org.edgegate.api.health.HealthState;
import org.edgegate.api.health.Monitored;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Loads libturbojpeg and, where it loads, registers the {@link JpegCodec} service (ranked above OpenCV's).
 * Where it does not, nothing is registered and the reason is in {@code gw:status} (codec turbojpeg,
 * STOPPED: not a problem, OpenCV's codec serves). Deactivation unregisters the codec, then destroys its
 * TurboJPEG handles; cameras go on with the next codec.
 */
@Component(service = Monitored.class, immediate = true, configurationPid = TurboJpegComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = TurboJpegConfig.class)
public class TurboJpegComponent implements Monitored {
    static final String PID = "org.edgegate.jpegturbo";

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private BundleContext context;
    private volatile Health health = Health.of(HealthState.STARTING, "");
    private TurboJpegCodec codec;
    private ServiceRegistration<JpegCodec> registration;

    @Activate
    void activate(BundleContext context, TurboJpegConfig config) {
        this.context = context;
        start(config);
    }

    @Modified
    synchronized void modified(TurboJpegConfig config) {
        stop();
        start(config);
    }

    private synchronized void start(TurboJpegConfig config) {
        String library = config.library() == null || config.library().isBlank() ? "turbojpeg" : config.library().trim();
        String failure = TurboJpegLibrary.load(library);
        if (failure != null) {
            health = Health.of(HealthState.STOPPED, failure + "; OpenCV's codec serves");
            log.info("JPEG codec turbojpeg not available: {}", failure);
            return;
        }
        TurboJpegCodec c = new TurboJpegCodec(TurboJpegLibrary.describe());
        try {
            // A first encode proves the library works before anyone relies on it.
            c.encode(new byte[8 * 8 * 3], 8, 8, 90);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            c.close();
            health = Health.of(HealthState.FAILED, "libturbojpeg loaded but does not encode: " + e);
            log.error("JPEG codec turbojpeg: {}", health.reason());
            return;
        }
        codec = c;
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, config.ranking());
        props.put(JpegCodec.NAME, TurboJpegCodec.NAME);
        props.put(Constants.SERVICE_DESCRIPTION, c.description());
        registration = context.registerService(JpegCodec.class, c, props);
        health = Health.of(HealthState.OPEN, c.description() + ", ranking " + config.ranking());
        log.info("JPEG codec turbojpeg registered: {}", c.description());
    }

    @Deactivate
    synchronized void stop() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // unregistered with the bundle
            }
            registration = null;
        }
        if (codec != null) {
            codec.close();
            codec = null;
        }
        health = Health.of(HealthState.STOPPED, "stopped");
    }

    @Override
    public String kind() {
        return "codec";
    }

    @Override
    public String id() {
        return TurboJpegCodec.NAME;
    }

    @Override
    public Health health() {
        return health;
    }
}
