// One neutral graph (nodes, edges) built from the IR, written by two small printers.
#include "compiler/review/graph.h"

#include <set>
#include <sstream>
#include <vector>

namespace trust::review {
namespace {

enum class Shape { kCert, kGateway, kProvider, kUser, kKeystore };

struct Node {
  std::string id;
  Shape shape;
  std::vector<std::string> lines;  // label lines
};

struct Edge {
  std::string from, to, label;
  bool issuer = false;  // drawn dashed
};

struct Graph {
  std::vector<Node> nodes;
  std::vector<Edge> edges;
};

// "CN=x" of a subject, or the whole subject when it has no CN.
std::string CommonName(const std::string& subject) {
  size_t at = subject.find("CN=");
  if (at == std::string::npos) return subject;
  size_t end = subject.find(',', at);
  return subject.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

std::string CertId(ir::CertId id) { return "cert" + std::to_string(id.index); }

std::set<uint32_t> UsedCerts(const ir::Program& p) {
  std::set<uint32_t> used;
  for (const ir::Gateway& g : p.gateways) {
    for (const ir::Trust& t : g.trusts) used.insert(t.cert.index);
    for (const ir::IdentityProvider& idp : g.providers) {
      for (ir::CertId id : idp.trusted) used.insert(id.index);
      for (const ir::User& u : idp.users) {
        if (u.cert) used.insert(u.cert->index);
      }
    }
  }
  for (const ir::Keystore& k : p.keystores) {
    for (const ir::KeystoreEntry& e : k.entries) used.insert(e.cert.index);
  }
  return used;
}

void AddCerts(const ir::Program& p, Graph& graph) {
  std::set<uint32_t> used = UsedCerts(p);
  std::vector<uint32_t> shown;
  for (uint32_t i = 0; i < p.certs.size(); ++i) {
    const ir::Cert& cert = p.certs[i];
    if (cert.from_stdlib && !used.contains(i)) continue;
    shown.push_back(i);
    std::vector<std::string> lines = {cert.display_name};
    if (cert.certificate) {
      lines.push_back(CommonName(cert.certificate->facts().subject));
      lines.push_back("sha256 " + cert.certificate->facts().sha256.substr(0, 12) + "…");
    }
    graph.nodes.push_back({CertId({i}), Shape::kCert, lines});
  }
  for (uint32_t issuer : shown) {
    for (uint32_t subject : shown) {
      const auto& a = p.certs[issuer].certificate;
      const auto& b = p.certs[subject].certificate;
      if (issuer == subject || !a || !b || b->facts().self_signed) continue;
      if (b->IsSignedBy(*a))
        graph.edges.push_back({CertId({issuer}), CertId({subject}), "signed", true});
    }
  }
}

std::string TrustLabel(const ir::Trust& t) {
  std::string label;
  for (ir::Purpose purpose : ir::AllPurposes()) {
    if (t.Has(purpose))
      label += (label.empty() ? "" : ", ") + std::string(ir::PurposeWord(purpose));
  }
  if (t.anchor) label += label.empty() ? "anchor" : " (anchor)";
  if (!t.revocation_checking) label += "; revocation off";
  return label;
}

void AddGateway(const ir::Program& p, size_t gi, Graph& graph) {
  const ir::Gateway& g = p.gateways[gi];
  std::string gid = "gw" + std::to_string(gi);
  graph.nodes.push_back({gid, Shape::kGateway, {"gateway", g.name}});
  for (const ir::Trust& t : g.trusts) graph.edges.push_back({gid, CertId(t.cert), TrustLabel(t)});
  for (size_t pi = 0; pi < g.providers.size(); ++pi) {
    const ir::IdentityProvider& idp = g.providers[pi];
    std::string pid = gid + "_idp" + std::to_string(pi);
    graph.nodes.push_back({pid, Shape::kProvider, {"identity provider", idp.display_name}});
    graph.edges.push_back({gid, pid, "provider"});
    for (ir::CertId id : idp.trusted) graph.edges.push_back({pid, CertId(id), "trusts"});
    for (size_t ui = 0; ui < idp.users.size(); ++ui) {
      const ir::User& u = idp.users[ui];
      std::string uid = pid + "_user" + std::to_string(ui);
      graph.nodes.push_back({uid, Shape::kUser, {"user " + u.name}});
      graph.edges.push_back({pid, uid, "user"});
      if (u.cert) {
        graph.edges.push_back(
            {uid, CertId(*u.cert), u.cert_attached ? "attached client cert" : "client cert"});
      }
    }
  }
}

Graph Build(const ir::Program& p) {
  Graph graph;
  AddCerts(p, graph);
  for (size_t gi = 0; gi < p.gateways.size(); ++gi) AddGateway(p, gi, graph);
  for (size_t ki = 0; ki < p.keystores.size(); ++ki) {
    const ir::Keystore& k = p.keystores[ki];
    std::string kid = "ks" + std::to_string(ki);
    graph.nodes.push_back(
        {kid,
         Shape::kKeystore,
         {"keystore " + k.name, std::string(keystore::StoreFormatName(k.format))}});
    for (const ir::KeystoreEntry& e : k.entries) {
      graph.edges.push_back({kid, CertId(e.cert), "as " + e.alias});
    }
  }
  return graph;
}

std::string DotEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

const char* DotShape(Shape shape) {
  switch (shape) {
    case Shape::kCert:
      return "shape=note, style=filled, fillcolor=\"#fff7d6\"";
    case Shape::kGateway:
      return "shape=box3d, style=filled, fillcolor=\"#d6e9ff\"";
    case Shape::kProvider:
      return "shape=hexagon, style=filled, fillcolor=\"#e6dcff\"";
    case Shape::kUser:
      return "shape=ellipse";
    case Shape::kKeystore:
      return "shape=cylinder, style=filled, fillcolor=\"#dcf5dc\"";
  }
  return "";
}

std::string MermaidEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"') {
      out += "#quot;";
    } else {
      out += c;
    }
  }
  return out;
}

std::string MermaidNode(const Node& node) {
  std::string label;
  for (const std::string& line : node.lines)
    label += (label.empty() ? "" : "<br/>") + MermaidEscape(line);
  label = "\"" + label + "\"";
  switch (node.shape) {
    case Shape::kCert:
      return node.id + "[" + label + "]";
    case Shape::kGateway:
      return node.id + "[[" + label + "]]";
    case Shape::kProvider:
      return node.id + "{{" + label + "}}";
    case Shape::kUser:
      return node.id + "([" + label + "])";
    case Shape::kKeystore:
      return node.id + "[(" + label + ")]";
  }
  return node.id;
}

}  // namespace

std::string GraphDot(const ir::Program& program) {
  Graph graph = Build(program);
  std::ostringstream out;
  out << "digraph trust {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n"
      << "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  for (const Node& node : graph.nodes) {
    std::string label;
    for (const std::string& line : node.lines)
      label += (label.empty() ? "" : "\\n") + DotEscape(line);
    out << "  " << node.id << " [label=\"" << label << "\", " << DotShape(node.shape) << "];\n";
  }
  for (const Edge& edge : graph.edges) {
    out << "  " << edge.from << " -> " << edge.to << " [label=\"" << DotEscape(edge.label) << "\""
        << (edge.issuer ? ", style=dashed" : "") << "];\n";
  }
  out << "}\n";
  return out.str();
}

std::string GraphMermaid(const ir::Program& program) {
  Graph graph = Build(program);
  std::ostringstream out;
  out << "flowchart LR\n";
  for (const Node& node : graph.nodes) out << "  " << MermaidNode(node) << "\n";
  for (const Edge& edge : graph.edges) {
    out << "  " << edge.from << (edge.issuer ? " -.->|" : " -->|") << "\""
        << MermaidEscape(edge.label) << "\"| " << edge.to << "\n";
  }
  return out.str();
}

}  // namespace trust::review
