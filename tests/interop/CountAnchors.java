// Counts the trust anchors a JVM gets from a truststore, the way a TLS client would:
//   java CountAnchors.java STORE [PASSWORD]
// Without PASSWORD the store is loaded with a null password (KeyStore.load(in, null)), as a
// JVM does when javax.net.ssl.trustStorePassword is unset. The type is detected by the first
// bytes (FEEDFEED: JKS, else PKCS12). Prints "anchors N issuers M aliases a,b,...":
// N = PKIXParameters(store).getTrustAnchors().size(), M = the accepted issuers of the
// default TrustManagerFactory's X509TrustManager initialised with the store.
import java.io.DataInputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyStore;
import java.security.cert.PKIXParameters;
import java.util.Collections;
import java.util.TreeSet;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

public class CountAnchors {
  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: java CountAnchors.java STORE [PASSWORD]");
      System.exit(2);
    }
    char[] password = args.length == 2 ? args[1].toCharArray() : null;
    int magic;
    try (DataInputStream in = new DataInputStream(new FileInputStream(args[0]))) {
      magic = in.readInt();
    }
    KeyStore store = KeyStore.getInstance(magic == 0xFEEDFEED ? "JKS" : "PKCS12");
    try (InputStream in = new FileInputStream(args[0])) {
      store.load(in, password);
    }
    int anchors;
    try {
      anchors = new PKIXParameters(store).getTrustAnchors().size();
    } catch (InvalidAlgorithmParameterException e) {  // "the trustAnchors parameter must be non-empty"
      anchors = 0;
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    int issuers = 0;
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        issuers += x509.getAcceptedIssuers().length;
      }
    }
    TreeSet<String> aliases = new TreeSet<>();
    for (String alias : Collections.list(store.aliases())) {
      if (store.isCertificateEntry(alias)) {
        aliases.add(alias);
      }
    }
    System.out.println(
        "anchors " + anchors + " issuers " + issuers + " aliases " + String.join(",", aliases));
  }
}
