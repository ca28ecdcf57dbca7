package org.atsassessments.repository.bus;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.core.spi.cluster.ClusteredNode;
import io.vertx.core.spi.cluster.RegistrationInfo;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Which nodes of the cluster run a repository, so that the bus client chooses the node of each request itself
 * and sends it to that node's own address: it then knows which requests were in flight to a node that dies.
 * Vert.x's clustered bus drops a message sent to a node that has just died without telling the sender, and
 * keeps routing to the dead node until its subscriptions are cleaned up; choosing here, a node that left is
 * never chosen again from the moment the cluster reports it gone ({@link #memberLeft}), and the requests that
 * were in flight to it are sent again elsewhere or failed at once by their clients.
 *
 * <p>One per Vert.x instance. The list comes from the registrations of {@value RepositoryMessages#ADDRESS}
 * (every repository consumes there and at its node address), read every {@value #REFRESH_MS} ms, minus the
 * members that left. A node whose own repository runs is preferred (no network hop). Without a cluster, every
 * request goes to the shared address, where the local repository answers.
 */
public final class RepositoryNodes implements Shareable {

  private static final Logger LOG = Logger.getLogger(RepositoryNodes.class.getName());
  /** Published on this node's local bus when a cluster member leaves; the body is its Vert.x node id. */
  static final String MEMBER_LEFT = "ats.cluster.member-left";
  static final long REFRESH_MS = 1_000;
  private static final long READ_TIMEOUT_MS = 2_000;
  private static final String KEY = "nodes";

  /** Where one request goes: a node's own address, or the shared one when nodes are not chosen here. */
  record Route(String nodeId, String address) {
  }

  private static final Route SHARED = new Route(null, RepositoryMessages.ADDRESS);

  private final Vertx vertx;
  private final ClusteredNode cluster;
  private final Set<String> departed = ConcurrentHashMap.newKeySet();
  private final AtomicInteger turn = new AtomicInteger();
  /** The other nodes with a repository, as last read (this node's own is {@link #localRunning}); null until first read. */
  private volatile List<String> others;
  /** Whether this node's own repository is consuming (known at once, without waiting for a read). */
  private volatile boolean localRunning;
  /** The read under way, if any: requests that find no node wait for it rather than fail. */
  private Future<Void> reading;

  private RepositoryNodes(Vertx vertx, ClusteredNode cluster) {
    this.vertx = vertx;
    this.cluster = cluster;
  }

  /** Starts choosing among the cluster's repository nodes on this clustered Vert.x instance (cluster set-up calls it once). */
  public static void install(Vertx vertx, ClusteredNode cluster) {
    RepositoryNodes installed = new RepositoryNodes(vertx, cluster);
    if (map(vertx).putIfAbsent(KEY, installed) != null) throw new IllegalStateException("repository nodes installed twice");
    installed.refresh();
    vertx.setPeriodic(REFRESH_MS, tick -> installed.refresh());
  }

  /**
   * The cluster reports that member {@code nodeId} left (called on a Hazelcast event thread):
   * every repository node that is no longer a member is dropped at once, and this node's bus clients told.
   */
  public static void memberLeft(Vertx vertx, String nodeId) {
    RepositoryNodes nodes = map(vertx).get(KEY);
    if (nodes != null) nodes.dropDeparted(nodeId);
  }

  /**
   * Drops {@code left} and every other known repository node the membership no longer lists. {@code left} is
   * named by the membership event itself: Hazelcast calls its membership listeners one after the other, and
   * the cluster manager's (which takes the member out of {@code getNodes()}) may come after ours; read from
   * {@code getNodes()} alone, the departure was missed now and then, and the requests in flight to the dead node
   * waited for their timeout (ClusterFaultsIT).
   */
  private synchronized void dropDeparted(String left) {
    List<String> known = others;
    if (known == null) return;
    Set<String> members = new HashSet<>(cluster.getNodes());
    if (left != null) members.remove(left);
    List<String> gone = known.stream().filter(node -> !members.contains(node)).toList();
    if (gone.isEmpty()) return;
    others = known.stream().filter(members::contains).toList();
    for (String node : gone) departedNow(node);
  }

  /** A repository node is known gone: never chosen again, and this node's bus clients told (once per node). */
  private void departedNow(String node) {
    if (!departed.add(node)) return;
    LOG.info("repository node " + node + " left the cluster");
    vertx.eventBus().publish(MEMBER_LEFT, node, new DeliveryOptions().setLocalOnly(true));
  }

  /** This instance's, or one that sends everything to the shared address when it is not clustered. */
  static RepositoryNodes of(Vertx vertx) {
    RepositoryNodes installed = map(vertx).get(KEY);
    return installed != null ? installed : new RepositoryNodes(vertx, null);
  }

  private static LocalMap<String, RepositoryNodes> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap("ats.repository.nodes");
  }

  /** This Vert.x instance's node id in the cluster, or null when it is not clustered. */
  public static String clusterNodeId(Vertx vertx) {
    return of(vertx).localNodeId();
  }

  /**
   * Calls {@code handler} (on the caller's context) with the Vert.x node id of each repository node that leaves the
   * cluster, as this node learns of it; the consumer is the caller's to unregister.
   */
  public static io.vertx.core.eventbus.MessageConsumer<String> whenRepositoryNodeLeaves(Vertx vertx,
                                                                                     io.vertx.core.Handler<String> handler) {
    return vertx.eventBus().<String>localConsumer(MEMBER_LEFT, left -> handler.handle(left.body()));
  }

  /** This node's id in the cluster, or null without one. */
  String localNodeId() {
    return cluster == null ? null : cluster.getNodeId();
  }

  /** Whether nodes are chosen here (a clustered instance). */
  boolean choosing() {
    return cluster != null;
  }

  /** This node's repository consumes, or stopped consuming (the dispatcher says so). */
  void localRepository(boolean running) {
    localRunning = running;
  }

  /**
   * Where to send a request, avoiding {@code avoid} (the node it went to before; null for a first try): this
   * node's repository when it runs one, else the next in turn; the shared address when nodes are not chosen
   * here or not known yet; null when the cluster is known to have no other repository.
   */
  Route choose(String avoid) {
    if (cluster == null) return avoid == null ? SHARED : null;
    String local = cluster.getNodeId();
    if (localRunning && !local.equals(avoid)) return new Route(local, RepositoryMessages.nodeAddress(local));
    List<String> known = others;
    if (known == null) return avoid == null ? SHARED : null;
    // a first try takes the list as it is (no copy per request); a repeat leaves out the node it came from
    List<String> candidates = avoid == null ? known : known.stream().filter(node -> !node.equals(avoid)).toList();
    if (candidates.isEmpty()) return null;
    String chosen = candidates.get(Math.floorMod(turn.getAndIncrement(), candidates.size()));
    return new Route(chosen, RepositoryMessages.nodeAddress(chosen));
  }

  /**
   * Reads the repository nodes now: one read at a time, which callers share; a read that takes longer than
   * {@value #READ_TIMEOUT_MS} ms (the cluster busy with a member that left) lets the next one start.
   */
  synchronized Future<Void> refresh() {
    if (reading != null && !reading.isComplete()) return reading;
    Promise<Void> done = Promise.promise();
    reading = done.future();
    vertx.setTimer(READ_TIMEOUT_MS, late -> done.tryComplete());
    try {
      read().onComplete(read -> done.tryComplete());
    } catch (RuntimeException e) {
      LOG.warning("repository nodes not read: " + e);
      done.tryComplete();
    }
    return reading;
  }

  private Future<Void> read() {
    Promise<List<RegistrationInfo>> registrations = Promise.promise();
    cluster.getRegistrations(RepositoryMessages.ADDRESS, registrations);
    return registrations.future().onSuccess(found -> {
      Set<String> members = new HashSet<>(cluster.getNodes());
      String local = cluster.getNodeId();
      Set<String> repositories = new LinkedHashSet<>();
      for (RegistrationInfo registration : found) {
        String node = registration.nodeId();
        if (!node.equals(local) && members.contains(node) && !departed.contains(node)) repositories.add(node);
      }
      synchronized (this) {
        List<String> before = others;
        others = List.copyOf(repositories);
        // a node that was chosen until now and is no longer a member left: when the cluster manager took it out of
        // getNodes() before the membership event reached us, this read is the first to see it, and the requests in
        // flight to it must hear of it here (else they wait for their timeout: ClusterFaultsIT)
        if (before != null) {
          for (String node : before) if (!members.contains(node) && !node.equals(local)) departedNow(node);
        }
      }
    }).onFailure(e -> LOG.fine("repository nodes not read: " + e)).mapEmpty();
  }
}
