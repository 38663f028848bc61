// Export macro of Ssmtp::Core.
#pragma once

#include <QtCore/qglobal.h>

#if defined(SSMTP_BUILD_CORE_LIB)
#define SSMTP_CORE_EXPORT Q_DECL_EXPORT
#else
#define SSMTP_CORE_EXPORT Q_DECL_IMPORT
#endif
