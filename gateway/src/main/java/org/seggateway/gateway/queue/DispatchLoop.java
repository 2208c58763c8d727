package org.seggateway.gateway.queue;

import static org.seggateway.gateway.queue.QueueLog.LOG;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.seggateway.gateway.completion.SeriesCompletion.SeriesCompleted;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.work.ItemFaults;
import org.seggateway.gateway.work.LoopErrors;

/**
 * The dispatcher's own thread: runs a {@link JobDispatcher} pass once the Kafka topics are set up, woken by every series
 * completion that made jobs and at least every {@code seg-gateway.queue.dispatch-every}; the first pass at start picks up
 * jobs a restart left behind. A database or Kafka failure ends the pass and the next one tries again. Anything else that
 * reaches the loop is logged, counted in {@code seggateway_loop_errors_total}, and the loop waits {@code dispatch-every}
 * and goes on: the thread never ends before shutdown.
 */
@ApplicationScoped
class DispatchLoop {
    static final String NAME = "job-dispatcher";

    private final JobDispatcher dispatcher;
    private final TopicSetup topics;
    private final LoopErrors loopErrors;
    private final GatewayConfig.Queue settings;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    DispatchLoop(JobDispatcher dispatcher, TopicSetup topics, LoopErrors loopErrors, GatewayConfig config) {
        this.dispatcher = dispatcher;
        this.topics = topics;
        this.loopErrors = loopErrors;
        this.settings = config.queue();
    }

    void start(@Observes StartupEvent event) {
        if (!settings.enabled()) {
            LOG.queueDisabled();
            return;
        }
        // set before the thread starts: the loop must not race its own start and end at once
        running = true;
        thread = Thread.ofPlatform().name(NAME).daemon().start(this::loop);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void seriesCompleted(@Observes SeriesCompleted event) {
        if (!event.decision().skipped()) wake.release();
    }

    private void loop() {
        long every = settings.dispatchEvery().toMillis();
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                if (topics.ensure()) dispatcher.dispatchPending();
                wake.tryAcquire(every, TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (ItemFaults.attributableToItem(e)) loopErrors.caught(NAME, e); // a bug, not an outage
                else LOG.passFailed(every, e.getMessage());
                if (!LoopErrors.backoff(settings.dispatchEvery())) return;
            } catch (Error e) {
                loopErrors.caught(NAME, e);
                if (!LoopErrors.backoff(settings.dispatchEvery())) return;
            }
        }
    }
}
