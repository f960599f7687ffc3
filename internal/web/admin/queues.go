package admin

import "github.com/gin-gonic/gin"

func (a *Console) queuesRoutes(g *gin.RouterGroup) {}
