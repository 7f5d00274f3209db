#include "metrics_endpoint.h"

#include <QHostAddress>
#include <QHttpServerResponse>
#include <QTcpServer>

namespace weir::cli {

MetricsEndpoint::MetricsEndpoint(const QString &pipeline)
{
    m_run.pipeline = pipeline;
    m_run.status = QStringLiteral("running");
    m_server.route(QStringLiteral("/metrics"), [this] {
        return QHttpServerResponse(QByteArray(engine::kPrometheusContentType),
                                   engine::prometheusText(m_run, m_snapshot));
    });
}

Result<quint16> MetricsEndpoint::listen(quint16 port)
{
    // Our own listening socket rather than QHttpServer::listen(): its error text names the
    // cause, and a failure is reported once, by us.
    auto *tcp = new QTcpServer(&m_server);
    if (!tcp->listen(QHostAddress::LocalHost, port)) {
        const QString reason = tcp->errorString();
        delete tcp;
        return makeError(ErrorCode::Io, QStringLiteral("cannot serve metrics on 127.0.0.1:%1: %2")
                                            .arg(QString::number(port), reason));
    }
    m_server.bind(tcp);
    return tcp->serverPort();
}

} // namespace weir::cli
